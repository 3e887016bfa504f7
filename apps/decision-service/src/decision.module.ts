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
import { startMetricsServer, type AppEnv } from '@clipguard/config';
import { ENV, InfraModule } from '@clipguard/infra';
import { planPrompts } from '@clipguard/policy';
import { AuditRepository, FairnessAuditRepository, PolicyCatalog, PolicyVersions } from '@clipguard/storage';
import { CallbackService } from './callback.service';
import { CheckpointService } from './checkpoint.service';
import { DecisionMetrics } from './decision.metrics';
import { DecisionService } from './decision.service';
import { BaselineRecorder } from './fairness/baseline-recorder';
import { FairnessJobService } from './fairness/fairness-job.service';
import { FairnessMetrics } from './fairness/fairness.metrics';
import type { PolicyPlan, PolicyPlans } from './policy-plan';
import { CallbackProcessor, DecideProcessor } from './processors';
import { POLICIES } from './tokens';

@Module({})
export class DecisionModule implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private metricsServer: Server | undefined;

  constructor(
    @Inject(POLICIES) private readonly policies: PolicyPlans,
    @Inject(ENV) private readonly env: AppEnv,
    private readonly metrics: DecisionMetrics,
    private readonly decideProcessor: DecideProcessor,
    private readonly callbackProcessor: CallbackProcessor,
  ) {}

  static forRoot(env: AppEnv, logger: Logger): DynamicModule {
    return {
      module: DecisionModule,
      imports: [InfraModule.forRoot(env, logger)],
      providers: [
        {
          // Decisions need each version's rules and prompt order, not its embeddings: no model here.
          provide: POLICIES,
          inject: [AuditRepository, FairnessAuditRepository],
          useFactory: async (audit: AuditRepository, fairnessAudit: FairnessAuditRepository) => {
            const baselines = new BaselineRecorder(
              new PolicyVersions(env.CLIPGUARD_POLICIES_DIR),
              fairnessAudit,
              logger,
            );
            const catalog = new PolicyCatalog<PolicyPlan>(
              env.CLIPGUARD_POLICIES_DIR,
              (parsed) =>
                Promise.resolve({
                  policy: parsed.policy,
                  hash: parsed.hash,
                  prompts: planPrompts(parsed.policy),
                }),
              logger,
              async (loaded) => {
                await audit.recordPolicyActivations(
                  loaded.map((c) => ({
                    id: c.policy.id,
                    version: c.policy.version,
                    hash: c.hash,
                    source: env.CLIPGUARD_POLICIES_DIR,
                  })),
                );
                await baselines.record(loaded);
              },
            );
            await catalog.reload();
            catalog.watch(env.CLIPGUARD_POLICY_RELOAD_MS);
            return catalog;
          },
        },
        DecisionMetrics,
        FairnessMetrics,
        FairnessJobService,
        DecisionService,
        CallbackService,
        CheckpointService,
        DecideProcessor,
        CallbackProcessor,
      ],
    };
  }

  onModuleInit(): void {
    if (this.env.CLIPGUARD_METRICS_PORT)
      this.metricsServer = startMetricsServer(this.metrics.registry, {
        port: this.env.CLIPGUARD_METRICS_PORT,
        host: this.env.CLIPGUARD_METRICS_HOST ?? this.env.HOST,
        token: this.env.CLIPGUARD_METRICS_TOKEN,
      });
  }

  /** SIGTERM: finish active decisions and callbacks before the pool they write to closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.decideProcessor.worker.close(), this.callbackProcessor.worker.close()]);
  }

  onApplicationShutdown(): void {
    this.metricsServer?.close();
    this.policies.stop();
  }
}
