import {
  dailyDistributions,
  stabilityAgainst,
  type AuditedDecision,
  type DailyDistribution,
  type StabilityFigure,
} from '@clipguard/audit';
import { flattenCategories, type Policy } from '@clipguard/policy';
import type { FairnessRepository } from '../repositories/fairness.repository';
import { collectPages } from './collect';

export interface DriftSettings {
  bins: number;
  /** PSI at or above which a distribution has drifted. */
  level: number;
  /** The baseline: this many days from the tenant's first decision by the version. */
  baselineDays: number;
  maxDecisions: number;
}

export interface DriftReport {
  v: 1;
  policy: { id: string; version: number };
  tenant: string;
  window: { since: string; until: string };
  bins: number;
  level: number;
  /** Per UTC day of the window: verdict shares and per-category score histograms. */
  days: DailyDistribution[];
  /** The first days after the version's first decision for the tenant; null before it has any. */
  baseline: { since: string; until: string; decisions: number; complete: boolean } | null;
  /** The window's decisions after the baseline, compared with it; null until the baseline is complete. */
  stability: { since: string; decisions: number; figures: StabilityFigure[] } | null;
}

const DAY_MS = 86_400_000;

/**
 * Drift of one policy version for one tenant: the window's daily distributions, and the PSI of the window's
 * decisions after the baseline against the baseline (the first `baselineDays` days after the version's
 * first decision for the tenant, its activation there). `decisions` are the window's, already read.
 */
export async function driftOf(
  repo: FairnessRepository,
  policy: Policy,
  w: { tenant: string; since: Date; until: Date },
  decisions: readonly AuditedDecision[],
  s: DriftSettings,
): Promise<DriftReport> {
  const ref = { id: policy.id, version: policy.version };
  const categories = flattenCategories(policy.categories).map((c) => c.category.id);
  const report: DriftReport = {
    v: 1,
    policy: ref,
    tenant: w.tenant,
    window: { since: w.since.toISOString(), until: w.until.toISOString() },
    bins: s.bins,
    level: s.level,
    days: dailyDistributions(decisions, categories, { bins: s.bins }),
    baseline: null,
    stability: null,
  };
  const first = await repo.firstDecisionAt(ref, w.tenant);
  if (!first) return report;
  const end = new Date(first.getTime() + s.baselineDays * DAY_MS);
  const complete = end <= w.until;
  const baseline = complete
    ? await collectPages(
        repo.decisions({ policy: ref, tenant: w.tenant, since: first, until: end }),
        s.maxDecisions,
      )
    : [];
  report.baseline = {
    since: first.toISOString(),
    until: end.toISOString(),
    decisions: baseline.length,
    complete,
  };
  const after = decisions.filter((d) => d.decidedAt >= end);
  if (!complete || after.length === 0) return report;
  report.stability = {
    since: (end > w.since ? end : w.since).toISOString(),
    decisions: after.length,
    figures: stabilityAgainst(baseline, after, categories, { bins: s.bins, level: s.level }),
  };
  return report;
}
