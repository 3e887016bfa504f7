import { BullModule } from '@nestjs/bullmq';
import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { loadTenants, type Env, type PipelineEnv } from '@clipguard/config';
import { QUEUES } from '@clipguard/contracts';
import { planPrompts } from '@clipguard/policy';
import { bullConnection } from '@clipguard/queue';
import { PolicyCatalog, createDatabase, type Database } from '@clipguard/storage';
import { CallbackService } from './callback.service';
import { DecisionService } from './decision.service';
import { CallbackProcessor, DecideProcessor } from './processors';
import { DB, ENV, LOGGER, POLICIES, TENANTS } from './tokens';

@Module({})
export class DecisionModule implements OnApplicationShutdown {
  constructor(
    @Inject(DB) private readonly db: Kysely<Database>,
    @Inject(POLICIES) private readonly policies: PolicyCatalog,
  ) {}

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
          useFactory: async () => {
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
            );
            await catalog.reload();
            catalog.watch(env.CLIPGUARD_POLICY_RELOAD_MS);
            return catalog;
          },
        },
        DecisionService,
        CallbackService,
        DecideProcessor,
        CallbackProcessor,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.policies.stop();
    await this.db.destroy();
  }
}
