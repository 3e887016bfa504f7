import { flattenCategories } from '../compile';
import type { PolicyScores } from '../scoring';
import type { Policy } from '../schema';
import {
  averagePrecision,
  bootstrap,
  countsAt,
  f1,
  precision,
  prCurve,
  recall,
  rocAuc,
  thresholdForPrecision,
  type CurvePoint,
  type Interval,
} from './metrics';

export type VerdictName = 'allow' | 'review' | 'block';

export interface LabelledResult {
  path: string;
  /** True category ids (empty: the image should be allowed). */
  truth: string[];
  scores: PolicyScores;
  verdict: VerdictName;
}

export interface CategoryEvaluation {
  id: string;
  title: string;
  positives: number;
  reviewThreshold: number;
  precision: Interval;
  recall: Interval;
  f1: Interval;
  rocAuc: Interval;
  averagePrecision: Interval;
  curve: CurvePoint[];
  /** Lowest threshold reaching each precision level, with its recall. */
  sweep: { targetPrecision: number; threshold: number | null; recall: number | null }[];
  recommended: CurvePoint | null;
}

export interface Mistake {
  path: string;
  category: string;
  score: number;
  verdict: VerdictName;
}

export interface EvaluationReport {
  images: number;
  targetPrecision: number;
  categories: CategoryEvaluation[];
  /** Rows: truth (clean / harmful); columns: verdicts. */
  confusion: Record<'clean' | 'harmful', Record<VerdictName, number>>;
  falsePositives: Mistake[];
  falseNegatives: Mistake[];
}

/** A category counts as present when it, or any of its descendants, is labelled. */
export function categoryTruth(
  policy: Policy,
  results: readonly Pick<LabelledResult, 'truth'>[],
): Map<string, boolean[]> {
  const flat = flattenCategories(policy.categories);
  const parentOf = new Map(flat.map((c) => [c.category.id, c.parent]));
  const descendants = new Map<string, Set<string>>();
  for (const { category } of flat) descendants.set(category.id, new Set([category.id]));
  for (const { category, parent } of flat) {
    for (let p = parent; p; p = parentOf.get(p)) descendants.get(p)?.add(category.id);
  }
  return new Map(
    [...descendants].map(([id, ids]) => [id, results.map((r) => r.truth.some((t) => ids.has(t)))]),
  );
}

const SWEEP_LEVELS = [0.5, 0.8, 0.9, 0.95, 0.99];

export function evaluatePolicy(
  policy: Policy,
  results: readonly LabelledResult[],
  options: { targetPrecision?: number; resamples?: number; mistakes?: number } = {},
): EvaluationReport {
  const target = options.targetPrecision ?? 0.9;
  const resamples = options.resamples ?? 1000;
  const truth = categoryTruth(policy, results);
  const categories = flattenCategories(policy.categories).map(({ category }, k): CategoryEvaluation => {
    const t = truth.get(category.id) ?? [];
    const s = results.map((r) => r.scores.categories[category.id].score);
    const at = category.thresholds.review;
    const atThreshold = (m: (c: ReturnType<typeof countsAt>) => number) => (ss: number[], tt: boolean[]) =>
      m(countsAt(ss, tt, at));
    const boot = (m: (ss: number[], tt: boolean[]) => number) => bootstrap(s, t, m, resamples, 17 + k);
    const levels = [...new Set([...SWEEP_LEVELS, target])].sort((a, b) => a - b);
    return {
      id: category.id,
      title: category.title,
      positives: t.filter(Boolean).length,
      reviewThreshold: at,
      precision: boot(atThreshold(precision)),
      recall: boot(atThreshold(recall)),
      f1: boot(atThreshold(f1)),
      rocAuc: boot(rocAuc),
      averagePrecision: boot(averagePrecision),
      curve: prCurve(s, t),
      sweep: levels.map((p) => {
        const found = thresholdForPrecision(s, t, p);
        return { targetPrecision: p, threshold: found?.threshold ?? null, recall: found?.recall ?? null };
      }),
      recommended: thresholdForPrecision(s, t, target) ?? null,
    };
  });

  const confusion: EvaluationReport['confusion'] = {
    clean: { allow: 0, review: 0, block: 0 },
    harmful: { allow: 0, review: 0, block: 0 },
  };
  for (const r of results) confusion[r.truth.length > 0 ? 'harmful' : 'clean'][r.verdict]++;

  const limit = options.mistakes ?? 10;
  const ids = flattenCategories(policy.categories).map((c) => c.category.id);
  const falsePositives = results
    .filter((r) => r.truth.length === 0 && r.verdict !== 'allow')
    .map((r) => {
      const top = ids.reduce((a, b) => (r.scores.categories[b].score > r.scores.categories[a].score ? b : a));
      return { path: r.path, category: top, score: r.scores.categories[top].score, verdict: r.verdict };
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
  const falseNegatives = results
    .filter((r) => r.truth.length > 0 && r.verdict === 'allow')
    .map((r) => {
      const known = r.truth.filter((c) => r.scores.categories[c]);
      const worst = known.reduce(
        (a, b) => (r.scores.categories[b].score < r.scores.categories[a].score ? b : a),
        known[0] ?? r.truth[0],
      );
      return {
        path: r.path,
        category: worst,
        score: r.scores.categories[worst]?.score ?? 0,
        verdict: r.verdict,
      };
    })
    .sort((a, b) => a.score - b.score)
    .slice(0, limit);
  return {
    images: results.length,
    targetPrecision: target,
    categories,
    confusion,
    falsePositives,
    falseNegatives,
  };
}
