import type { Server } from 'node:http';
import { BullModule } from '@nestjs/bullmq';
import {
  Inject,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { ClipEngine, embedLabels, hardenSharp } from '@clipguard/clip';
import {
  engineConfigFromEnv,
  loadTenants,
  startMetricsServer,
  type Env,
  type PipelineEnv,
} from '@clipguard/config';
import { QUEUES } from '@clipguard/contracts';
import { bullConnection, createRedis } from '@clipguard/queue';
import {
  CompiledPolicyCache,
  FileBlobStore,
  LivePolicies,
  PolicyCatalog,
  RedisBlobStore,
  createDatabase,
  type Database,
} from '@clipguard/storage';
import { EmbedProcessor } from './embed.processor';
import { EmbedService } from './embed.service';
import { WorkerMetrics } from './worker.metrics';
import { BLOBS, DB, ENGINE, ENV, LIVE, LOGGER } from './tokens';

@Module({})
export class WorkerModule implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private metricsServer: Server | undefined;

  constructor(
    @Inject(DB) private readonly db: Kysely<Database>,
    @Inject(ENGINE) private readonly engine: ClipEngine,
    @Inject(ENV) private readonly env: Env & PipelineEnv,
    private readonly metrics: WorkerMetrics,
    private readonly processor: EmbedProcessor,
  ) {}

  static forRoot(env: Env & PipelineEnv, logger: Logger): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        BullModule.forRoot({ connection: bullConnection(env.REDIS_URL), prefix: env.CLIPGUARD_QUEUE_PREFIX }),
        BullModule.registerQueue({ name: QUEUES.embed }, { name: QUEUES.decide }),
      ],
      providers: [
        { provide: ENV, useValue: env },
        { provide: LOGGER, useValue: logger },
        { provide: DB, useFactory: () => createDatabase(env.DATABASE_URL) },
        {
          provide: BLOBS,
          useFactory: () =>
            env.CLIPGUARD_BLOB_STORE === 'redis'
              ? new RedisBlobStore(createRedis(env.REDIS_URL), env.CLIPGUARD_BLOB_TTL_SECONDS)
              : new FileBlobStore(env.CLIPGUARD_BLOB_DIR),
        },
        {
          provide: ENGINE,
          inject: [WorkerMetrics],
          useFactory: (metrics: WorkerMetrics) =>
            ClipEngine.open(engineConfigFromEnv(env), {
              onImageBatch: (size, ms) => {
                metrics.batchSize.observe(size);
                metrics.batchSeconds.observe(ms / 1000);
              },
            }),
        },
        {
          provide: LIVE,
          inject: [ENGINE],
          useFactory: async (engine: ClipEngine) => {
            const cache = new CompiledPolicyCache(env.CLIPGUARD_POLICY_CACHE_DIR);
            const catalog = new PolicyCatalog(
              env.CLIPGUARD_POLICIES_DIR,
              async (parsed) =>
                (await cache.compile(parsed, engine.modelId, (t, tpl) => embedLabels(engine, t, tpl)))
                  .compiled,
              logger,
            );
            await catalog.reload();
            catalog.watch(env.CLIPGUARD_POLICY_RELOAD_MS);
            const live = new LivePolicies(catalog, loadTenants(env.CLIPGUARD_TENANTS_FILE));
            live.check();
            return live;
          },
        },
        WorkerMetrics,
        EmbedService,
        EmbedProcessor,
      ],
    };
  }

  onModuleInit(): void {
    hardenSharp();
    if (this.env.CLIPGUARD_METRICS_PORT)
      this.metricsServer = startMetricsServer(this.metrics.registry, this.env.CLIPGUARD_METRICS_PORT);
  }

  /** SIGTERM: stop taking jobs and let the active ones finish, before anything they use is closed. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.processor.worker.close();
  }

  /** Then the engine drains its batches and stops its threads, and the pool closes. */
  async onApplicationShutdown(): Promise<void> {
    this.metricsServer?.close();
    await this.engine.close();
    await this.db.destroy();
  }
}
