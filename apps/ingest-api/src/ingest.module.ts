import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Logger } from 'pino';
import type { AppEnv } from '@clipguard/config';
import { InfraModule } from '@clipguard/infra';
import { AuditController } from './audit/audit.controller';
import { BanksModule } from './banks/banks.module';
import { ApiKeyGuard } from './common/api-key.guard';
import { ConsoleModule } from './console/console.module';
import { FairnessModule } from './fairness/fairness.module';
import { MetricsService } from './common/metrics.service';
import { MetricsTokenGuard } from './common/metrics-token.guard';
import { ProblemFilter } from './common/problem.filter';
import { RateLimiter } from './common/rate-limiter';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';
import { ModerationController } from './moderations/moderation.controller';
import { AppealService } from './moderations/appeal.service';
import { ModerationService } from './moderations/moderation.service';
import { ReconcilerService } from './reconciler/reconciler.service';
import { ReviewController } from './reviews/review.controller';
import { ReviewService } from './reviews/review.service';
import { SubmissionService } from './submissions/submission.service';
import { WebhookController } from './webhooks/webhook.controller';
import { WebhookGuard } from './webhooks/webhook.guard';

@Module({})
export class IngestModule {
  static forRoot(env: AppEnv, logger: Logger): DynamicModule {
    return {
      module: IngestModule,
      imports: [InfraModule.forRoot(env, logger), ConsoleModule, FairnessModule, BanksModule],
      controllers: [
        WebhookController,
        ModerationController,
        ReviewController,
        HealthController,
        AuditController,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        ApiKeyGuard,
        WebhookGuard,
        MetricsTokenGuard,
        RateLimiter,
        SubmissionService,
        ModerationService,
        AppealService,
        ReviewService,
        ReconcilerService,
        HealthService,
        MetricsService,
      ],
    };
  }
}
