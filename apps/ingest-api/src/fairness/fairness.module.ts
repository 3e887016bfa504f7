import { Module } from '@nestjs/common';
import type { AppEnv } from '@clipguard/config';
import { ENV } from '@clipguard/infra';
import { PolicyVersions } from '@clipguard/storage';
import { ApiKeyGuard } from '../common/api-key.guard';
import { ConsoleGuard } from '../console/console.guard';
import { ConsoleModule } from '../console/console.module';
import { FairnessConsoleController } from './fairness-console.controller';
import { FairnessReportController } from './fairness-report.controller';
import { FairnessStatusService } from './fairness-status.service';
import { FairnessService } from './fairness.service';

/** Fairness reports and drift (API key and console), and the fairness status readiness shows. */
@Module({
  imports: [ConsoleModule],
  controllers: [FairnessReportController, FairnessConsoleController],
  providers: [
    {
      provide: PolicyVersions,
      inject: [ENV],
      useFactory: (env: AppEnv) => new PolicyVersions(env.CLIPGUARD_POLICIES_DIR),
    },
    FairnessService,
    FairnessStatusService,
    ApiKeyGuard,
    ConsoleGuard,
  ],
  exports: [FairnessStatusService],
})
export class FairnessModule {}
