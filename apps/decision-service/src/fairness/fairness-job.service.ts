import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { summarizeFairness, type FairnessSummary, type StabilityFigure } from '@clipguard/audit';
import type { AppEnv, TenantsFile } from '@clipguard/config';
import { ENV, LOGGER, TENANTS } from '@clipguard/infra';
import {
  FairnessAuditRepository,
  FairnessRepository,
  driftOf,
  fairnessOf,
  fairnessRef,
  type DriftReport,
} from '@clipguard/storage';
import type { PolicyPlans } from '../policy-plan';
import { POLICIES } from '../tokens';
import { FairnessMetrics } from './fairness.metrics';

const HOUR_MS = 3_600_000;

export interface TenantRun {
  tenant: string;
  policy: string;
  decisions: number;
  alerts: number;
  /** Categories whose PSI passed the level (null: the verdict mix). */
  drifted: (string | null)[];
  /** False when another instance had written this slot's entry already. */
  recorded: boolean;
}

const psiFigures = (figures: readonly StabilityFigure[]) =>
  figures.map((f) => ({
    category: f.category,
    psi: Number.isFinite(f.psi.value) ? f.psi.value : null,
    baseline: f.baseline,
    current: f.current,
    drifted: f.drifted,
  }));

/**
 * Every CLIPGUARD_FAIRNESS_INTERVAL_MS, for each tenant's live policy version: the fairness figures over
 * the rolling window (CLIPGUARD_FAIRNESS_WINDOW_HOURS) as a `fairness` audit entry with every alert, and
 * the PSI against the version's first week as a `drift` entry when it passes the level; both as metrics.
 * Runs are aligned to the interval, so several instances write each slot's entries once.
 */
@Injectable()
export class FairnessJobService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly repo: FairnessRepository,
    private readonly audit: FairnessAuditRepository,
    private readonly metrics: FairnessMetrics,
    @Inject(POLICIES) private readonly policies: PolicyPlans,
    @Inject(TENANTS) private readonly tenants: TenantsFile,
    @Inject(ENV) private readonly env: AppEnv,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.env.CLIPGUARD_FAIRNESS_INTERVAL_MS;
    if (interval === 0) return;
    this.timer = setInterval(() => this.tick(), interval);
    this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One run unless one is still going (a slow database must not stack runs up). */
  private tick(): void {
    if (this.running) return;
    this.running = this.runOnce(new Date())
      .catch((err: unknown) =>
        this.logger.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'fairness run failed; retrying next interval',
        ),
      )
      .finally(() => (this.running = undefined));
  }

  /** The figures of the slot `now` falls in, for every tenant. */
  async runOnce(now: Date): Promise<TenantRun[]> {
    const interval = this.env.CLIPGUARD_FAIRNESS_INTERVAL_MS || 1;
    const until = new Date(Math.floor(now.getTime() / interval) * interval);
    const since = new Date(until.getTime() - this.env.CLIPGUARD_FAIRNESS_WINDOW_HOURS * HOUR_MS);
    const runs: TenantRun[] = [];
    // Only this run's tenants and versions keep series: a version no longer live stops being reported.
    for (const gauge of [this.metrics.alerts, this.metrics.psi, this.metrics.lastRun]) gauge.reset();
    for (const [tenant, t] of Object.entries(this.tenants.tenants)) {
      const plan = this.policies.get(t.policy.id, t.policy.version);
      if (!plan) {
        this.logger.warn({ tenant, policy: t.policy }, 'fairness run skipped: the live policy is not loaded');
        continue;
      }
      runs.push(await this.runTenant(tenant, plan, { since, until }));
    }
    return runs;
  }

  private async runTenant(
    tenant: string,
    plan: NonNullable<ReturnType<PolicyPlans['get']>>,
    window: { since: Date; until: Date },
  ): Promise<TenantRun> {
    const w = { tenant, ...window };
    const ref = fairnessRef(tenant, plan.policy);
    const policy = `${plan.policy.id}@v${plan.policy.version}`;
    const { decisions, figures } = await fairnessOf(this.repo, plan.policy, w, {
      minGroupSize: this.env.CLIPGUARD_FAIRNESS_MIN_GROUP_SIZE,
      maxDecisions: this.env.CLIPGUARD_FAIRNESS_MAX_DECISIONS,
    });
    const drift = await driftOf(this.repo, plan.policy, w, decisions, {
      bins: this.env.CLIPGUARD_DRIFT_BINS,
      level: this.env.CLIPGUARD_DRIFT_PSI_LEVEL,
      baselineDays: this.env.CLIPGUARD_DRIFT_BASELINE_DAYS,
      maxDecisions: this.env.CLIPGUARD_FAIRNESS_MAX_DECISIONS,
    });
    const summary = summarizeFairness(figures);
    const drifted = (drift.stability?.figures ?? []).filter((f) => f.drifted).map((f) => f.category);
    const recorded = await this.record(ref, tenant, plan, window, summary, drift, drifted);
    this.observe(tenant, policy, window.until, summary, drift);
    if (summary.alerts.length || drifted.length)
      this.logger.warn(
        { tenant, policy, alerts: summary.alerts.length, drifted },
        'fairness breach in the scheduled window',
      );
    return { tenant, policy, decisions: decisions.length, alerts: summary.alerts.length, drifted, recorded };
  }

  private async record(
    ref: string,
    tenant: string,
    plan: NonNullable<ReturnType<PolicyPlans['get']>>,
    window: { since: Date; until: Date },
    summary: FairnessSummary,
    drift: DriftReport,
    drifted: (string | null)[],
  ): Promise<boolean> {
    const slot = window.until.toISOString();
    const common = {
      tenant,
      policy: { id: plan.policy.id, version: plan.policy.version, hash: plan.hash },
      window: { since: window.since.toISOString(), until: slot },
    };
    const recorded = await this.audit.appendForSlot(
      { kind: 'fairness', ref, body: { ...summary, ...common, breach: summary.alerts.length > 0 } },
      slot,
    );
    if (drifted.length && drift.stability)
      await this.audit.appendForSlot(
        {
          kind: 'drift',
          ref,
          body: {
            ...common,
            level: drift.level,
            baseline: drift.baseline,
            drifted,
            figures: psiFigures(drift.stability.figures),
          },
        },
        slot,
      );
    return recorded;
  }

  private observe(tenant: string, policy: string, until: Date, s: FairnessSummary, drift: DriftReport): void {
    this.metrics.alerts.set({ tenant, policy }, s.alerts.length);
    this.metrics.lastRun.set({ tenant, policy }, until.getTime() / 1000);
    for (const f of drift.stability?.figures ?? [])
      if (Number.isFinite(f.psi.value))
        this.metrics.psi.set({ tenant, policy, category: f.category ?? '(verdicts)' }, f.psi.value);
  }
}
