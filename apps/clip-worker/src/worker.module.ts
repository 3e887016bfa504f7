import type { Server } from 'node:http';
import {
  Inject,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { BankMatcher } from '@clipguard/banks';
import { ClipEngine, embedLabels, hardenSharp } from '@clipguard/clip';
import { engineConfigFromEnv, startMetricsServer, type AppEnv, type TenantsFile } from '@clipguard/config';
import { ENV, InfraModule, TENANTS } from '@clipguard/infra';
import {
  BankRepository,
  CompiledPolicyCache,
  LivePolicies,
  PolicyCatalog,
  closePinnedAgents,
} from '@clipguard/storage';
import { EmbedProcessor } from './embed.processor';
import { EmbedService } from './embed.service';
import { WorkerMetrics } from './worker.metrics';
import { BANKS, ENGINE, LIVE } from './tokens';

@Module({})
export class WorkerModule implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private metricsServer: Server | undefined;

  constructor(
    @Inject(ENGINE) private readonly engine: ClipEngine,
    @Inject(LIVE) private readonly live: LivePolicies,
    @Inject(ENV) private readonly env: AppEnv,
    private readonly metrics: WorkerMetrics,
    private readonly processor: EmbedProcessor,
  ) {}

  static forRoot(env: AppEnv, logger: Logger): DynamicModule {
    return {
      module: WorkerModule,
      imports: [InfraModule.forRoot(env, logger)],
      providers: [
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
          inject: [ENGINE, TENANTS],
          useFactory: async (engine: ClipEngine, tenants: TenantsFile) => {
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
            const live = new LivePolicies(catalog, tenants);
            live.check();
            return live;
          },
        },
        {
          provide: BANKS,
          inject: [BankRepository],
          // Postgres is the record; the indexes are rebuilt from it at start and follow its change log.
          useFactory: (repo: BankRepository) =>
            BankMatcher.open(repo, { limits: engineConfigFromEnv(env).limits }),
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
      this.metricsServer = startMetricsServer(this.metrics.registry, {
        port: this.env.CLIPGUARD_METRICS_PORT,
        host: this.env.CLIPGUARD_METRICS_HOST ?? this.env.HOST,
        token: this.env.CLIPGUARD_METRICS_TOKEN,
      });
  }

  /** SIGTERM: stop taking jobs and let the active ones finish, before anything they use is closed. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.processor.worker.close();
  }

  /** Then the engine drains its batches and stops its threads; InfraModule closes the pool and Redis. */
  async onApplicationShutdown(): Promise<void> {
    this.metricsServer?.close();
    this.live.stop();
    await Promise.all([this.engine.close(), closePinnedAgents()]);
  }
}
