import { BullModule } from '@nestjs/bullmq';
import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { loadTenants, type Env, type PipelineEnv } from '@clipguard/config';
import { QUEUES } from '@clipguard/contracts';
import { bullConnection, createRedis } from '@clipguard/queue';
import { FileBlobStore, RedisBlobStore, createDatabase, type Database } from '@clipguard/storage';
import { MetricsService } from './common/metrics.service';
import { RateLimiter } from './common/rate-limiter';
import { BLOBS, DB, ENV, LOGGER, REDIS, TENANTS } from './common/tokens';
import { HealthController } from './health/health.controller';
import { ModerationController } from './moderations/moderation.controller';
import { ReviewController } from './reviews/review.controller';
import { SubmissionService } from './submissions/submission.service';
import { WebhookController } from './webhooks/webhook.controller';

@Module({})
export class IngestModule implements OnApplicationShutdown {
  constructor(
    @Inject(DB) private readonly db: Kysely<Database>,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  static forRoot(env: Env & PipelineEnv, logger: Logger): DynamicModule {
    return {
      module: IngestModule,
      imports: [
        BullModule.forRoot({ connection: bullConnection(env.REDIS_URL), prefix: env.CLIPGUARD_QUEUE_PREFIX }),
        BullModule.registerQueue({ name: QUEUES.embed }, { name: QUEUES.decide }, { name: QUEUES.callback }),
      ],
      controllers: [WebhookController, ModerationController, ReviewController, HealthController],
      providers: [
        { provide: ENV, useValue: env },
        { provide: LOGGER, useValue: logger },
        { provide: TENANTS, useValue: loadTenants(env.CLIPGUARD_TENANTS_FILE) },
        { provide: DB, useFactory: () => createDatabase(env.DATABASE_URL) },
        { provide: REDIS, useFactory: () => createRedis(env.REDIS_URL) },
        {
          provide: BLOBS,
          useFactory: (redis: Redis) =>
            env.CLIPGUARD_BLOB_STORE === 'redis'
              ? new RedisBlobStore(redis, env.CLIPGUARD_BLOB_TTL_SECONDS)
              : new FileBlobStore(env.CLIPGUARD_BLOB_DIR),
          inject: [REDIS],
        },
        SubmissionService,
        RateLimiter,
        MetricsService,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.db.destroy(), this.redis.quit()]);
  }
}
