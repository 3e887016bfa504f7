import { BullModule } from '@nestjs/bullmq';
import type { Server } from 'node:http';
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
import { loadTenants, startMetricsServer, type Env, type PipelineEnv } from '@clipguard/config';
import { QUEUES } from '@clipguard/contracts';
import { planPrompts } from '@clipguard/policy';
import { bullConnection } from '@clipguard/queue';
import { PolicyCatalog, createDatabase, recordPolicyActivations, type Database } from '@clipguard/storage';
import { CallbackService } from './callback.service';
import { DecisionMetrics } from './decision.metrics';
import { DecisionService } from './decision.service';
import { CallbackProcessor, DecideProcessor } from './processors';
import { DB, ENV, LOGGER, POLICIES, TENANTS } from './tokens';

@Module({})
export class DecisionModule implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private metricsServer: Server | undefined;

  constructor(
    @Inject(DB) private readonly db: Kysely<Database>,
    @Inject(POLICIES) private readonly policies: PolicyCatalog,
    @Inject(ENV) private readonly env: Env & PipelineEnv,
    private readonly metrics: DecisionMetrics,
    private readonly decideProcessor: DecideProcessor,
    private readonly callbackProcessor: CallbackProcessor,
  ) {}

  onModuleInit(): void {
    if (this.env.CLIPGUARD_METRICS_PORT)
      this.metricsServer = startMetricsServer(this.metrics.registry, this.env.CLIPGUARD_METRICS_PORT);
  }

  static forRoot(env: Env & PipelineEnv, logger: Logger): DynamicModule {
    return {
      module: DecisionModule,
      imports: [
        BullModule.forRoot({ connection: bullConnection(env.REDIS_URL), prefix: env.CLIPGUARD_QUEUE_PREFIX }),
        BullModule.registerQueue({ name: QUEUES.decide }, { name: QUEUES.callback }),
      ],
      providers: [
        { provide: ENV, useValue: env },
        { provide: LOGGER, useValue: logger },
        { provide: TENANTS, useValue: loadTenants(env.CLIPGUARD_TENANTS_FILE) },
        { provide: DB, useFactory: () => createDatabase(env.DATABASE_URL) },
        {
          // Decisions need each version's prompt order and thresholds, not its embeddings: no model here.
          provide: POLICIES,
          inject: [DB],
          useFactory: async (db: Kysely<Database>) => {
            const catalog = new PolicyCatalog(
              env.CLIPGUARD_POLICIES_DIR,
              (parsed) =>
                Promise.resolve({
                  policy: parsed.policy,
                  hash: parsed.hash,
                  modelId: '',
                  prompts: planPrompts(parsed.policy),
                  embeddings: [],
                }),
              logger,
              (loaded) =>
                recordPolicyActivations(
                  db,
                  loaded.map((c) => ({
                    id: c.policy.id,
                    version: c.policy.version,
                    hash: c.hash,
                    source: env.CLIPGUARD_POLICIES_DIR,
                  })),
                ),
            );
            await catalog.reload();
            catalog.watch(env.CLIPGUARD_POLICY_RELOAD_MS);
            return catalog;
          },
        },
        DecisionMetrics,
        DecisionService,
        CallbackService,
        DecideProcessor,
        CallbackProcessor,
      ],
    };
  }

  /** SIGTERM: finish active decisions and callbacks before the pool they write to closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.decideProcessor.worker.close(), this.callbackProcessor.worker.close()]);
  }

  async onApplicationShutdown(): Promise<void> {
    this.metricsServer?.close();
    this.policies.stop();
    await this.db.destroy();
  }
}
