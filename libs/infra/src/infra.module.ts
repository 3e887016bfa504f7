import { BullModule, getQueueToken } from '@nestjs/bullmq';
import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { loadTenants, type AppEnv } from '@clipguard/config';
import type { QueueName } from '@clipguard/contracts';
import {
  FAIL_FAST_REDIS,
  JOBS,
  JobProducer,
  QUEUE_NAMES,
  bullConnection,
  createRedis,
} from '@clipguard/queue';
import {
  AuditRepository,
  BankRepository,
  CallbackRepository,
  DecisionRepository,
  EmbeddingRepository,
  FairnessAuditRepository,
  FairnessRepository,
  FileBlobStore,
  HealthRepository,
  RedisBlobStore,
  ReplayRepository,
  ReviewActionsRepository,
  ReviewItemRepository,
  ReviewQueueRepository,
  ReviewRepository,
  ReviewStatsRepository,
  SessionRepository,
  SimilarCasesRepository,
  SubmissionRepository,
  UserRepository,
  createDatabase,
  type Database,
} from '@clipguard/storage';
import { BLOBS, DB, ENV, LOGGER, REDIS, TENANTS } from './tokens';

const REPOSITORIES = [
  AuditRepository,
  BankRepository,
  CallbackRepository,
  DecisionRepository,
  EmbeddingRepository,
  FairnessAuditRepository,
  FairnessRepository,
  HealthRepository,
  ReplayRepository,
  ReviewActionsRepository,
  ReviewItemRepository,
  ReviewQueueRepository,
  ReviewRepository,
  ReviewStatsRepository,
  SessionRepository,
  SimilarCasesRepository,
  SubmissionRepository,
  UserRepository,
];

const repository = (cls: new (db: Kysely<Database>) => object): Provider => ({
  provide: cls,
  useFactory: (db: Kysely<Database>) => new cls(db),
  inject: [DB],
});

/**
 * The infrastructure of every app, wired once: config, logger, tenants, the Postgres pool and its
 * repositories, Redis, the blob store, and every queue of the job catalogue with its typed producer.
 * Everything it opens it closes on shutdown, after the apps' own hooks have stopped their workers.
 */
@Global()
@Module({})
export class InfraModule implements OnApplicationShutdown {
  constructor(
    @Inject(DB) private readonly db: Kysely<Database>,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  static forRoot(env: AppEnv, logger: Logger): DynamicModule {
    const onError = (what: string) => (err: Error) => logger.warn({ err: err.message }, `${what} error`);
    const queueTokens = QUEUE_NAMES.map((n) => getQueueToken(JOBS[n].queue));
    const providers: Provider[] = [
      { provide: ENV, useValue: env },
      { provide: LOGGER, useValue: logger },
      { provide: TENANTS, useFactory: () => loadTenants(env.CLIPGUARD_TENANTS_FILE) },
      {
        provide: DB,
        useFactory: () =>
          createDatabase(env.DATABASE_URL, {
            statementTimeoutMs: env.CLIPGUARD_DB_STATEMENT_TIMEOUT_MS,
            connectTimeoutMs: env.CLIPGUARD_DB_CONNECT_TIMEOUT_MS,
            onError: onError('PostgreSQL connection'),
          }),
      },
      { provide: REDIS, useFactory: () => createRedis(env.REDIS_URL, FAIL_FAST_REDIS, onError('Redis')) },
      {
        provide: BLOBS,
        inject: [REDIS],
        useFactory: (redis: Redis) =>
          env.CLIPGUARD_BLOB_STORE === 'redis'
            ? new RedisBlobStore(redis, env.CLIPGUARD_BLOB_TTL_SECONDS)
            : new FileBlobStore(env.CLIPGUARD_BLOB_DIR),
      },
      ...REPOSITORIES.map(repository),
      {
        provide: JobProducer,
        inject: queueTokens,
        useFactory: (...queues: Queue[]) => {
          for (const q of queues) q.on('error', onError(`queue ${q.name}`));
          const byName = Object.fromEntries(QUEUE_NAMES.map((n, i) => [n, queues[i]])) as Record<
            QueueName,
            Queue
          >;
          return new JobProducer(byName, {
            callbackBackoffMs: env.CLIPGUARD_CALLBACK_BACKOFF_MS,
            callbackHorizonMs: env.CLIPGUARD_CALLBACK_HORIZON_MS,
          });
        },
      },
    ];
    const bull = [
      BullModule.forRoot({ connection: bullConnection(env.REDIS_URL), prefix: env.CLIPGUARD_QUEUE_PREFIX }),
      BullModule.registerQueue(...QUEUE_NAMES.map((n) => ({ name: JOBS[n].queue }))),
    ];
    return {
      module: InfraModule,
      global: true,
      imports: bull,
      providers,
      exports: [...providers.map((p) => (typeof p === 'function' ? p : p.provide)), ...bull],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.db.destroy(), this.redis.quit()]);
  }
}
