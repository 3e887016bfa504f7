import type { AuditedDecision, Verdict } from '../input';
import { histogram, uniformEdges } from './histogram';
import { parseDriftOptions, type DriftOptionsInput } from './options';

export type ScoredDecision = Pick<AuditedDecision, 'decidedAt' | 'verdict' | 'categoryScores'>;

export interface DailyDistribution {
  /** UTC calendar day, YYYY-MM-DD. */
  day: string;
  decisions: number;
  verdicts: Record<Verdict, { count: number; share: number }>;
  /** Per category, score counts over the histogram's bins. */
  scores: { category: string; counts: number[] }[];
}

export const utcDay = (d: Date) => d.toISOString().slice(0, 10);

export function verdictShares(decisions: readonly ScoredDecision[]): DailyDistribution['verdicts'] {
  const counts: Record<Verdict, number> = { allow: 0, review: 0, block: 0 };
  for (const d of decisions) counts[d.verdict]++;
  const share = (c: number) => (decisions.length ? c / decisions.length : NaN);
  return {
    allow: { count: counts.allow, share: share(counts.allow) },
    review: { count: counts.review, share: share(counts.review) },
    block: { count: counts.block, share: share(counts.block) },
  };
}

/** Score counts of one category; decisions that did not score it (an older policy) are left out. */
export function scoreCounts(
  decisions: readonly ScoredDecision[],
  category: string,
  edges: readonly number[],
): number[] {
  const scores = decisions.map((d) => d.categoryScores[category]).filter((s) => s !== undefined);
  return histogram(scores, edges);
}

/** Per UTC day, in date order: verdict shares and per-category score histograms. */
export function dailyDistributions(
  decisions: readonly ScoredDecision[],
  categories: readonly string[],
  optionsInput: DriftOptionsInput = {},
): DailyDistribution[] {
  const edges = uniformEdges(parseDriftOptions(optionsInput).bins);
  const byDay = new Map<string, ScoredDecision[]>();
  for (const d of decisions) {
    const day = utcDay(d.decidedAt);
    const list = byDay.get(day);
    if (list) list.push(d);
    else byDay.set(day, [d]);
  }
  return [...byDay.keys()].sort().map((day) => {
    const list = byDay.get(day) ?? [];
    return {
      day,
      decisions: list.length,
      verdicts: verdictShares(list),
      scores: categories.map((category) => ({ category, counts: scoreCounts(list, category, edges) })),
    };
  });
}
