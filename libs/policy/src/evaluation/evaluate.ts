import { flattenCategories } from '../compile';
import type { PolicyScores } from '../scoring';
import type { Policy } from '../schema';
import {
  brierScore,
  expectedCalibrationError,
  reliabilityBins,
  scoreHistogram,
  type HistogramBin,
  type ReliabilityBin,
} from './distribution';
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
import { categoryMistakes, verdictMistakes, type Mistake } from './mistakes';
import { adviseCategory, type CategoryAction, type CategoryAdvice, type Volumes } from './threshold-advice';
import type { Verdict } from '@clipguard/contracts';

export type { Mistake } from './mistakes';

export interface LabelledResult {
  path: string;
  /** True category ids (empty: the image should be allowed). */
  truth: string[];
  scores: PolicyScores;
  verdict: Verdict;
}

type Band = 'below' | 'review' | 'block';

/** Labelled positives and negatives by where the category's score fell against its own thresholds. */
export type CategoryConfusion = Record<'positive' | 'negative', Record<Band, number>>;

export interface CategoryEvaluation {
  id: string;
  title: string;
  action: CategoryAction;
  positives: number;
  negatives: number;
  reviewThreshold: number;
  blockThreshold: number;
  precision: Interval;
  recall: Interval;
  f1: Interval;
  rocAuc: Interval;
  averagePrecision: Interval;
  curve: CurvePoint[];
  /** Lowest threshold reaching each precision level, with its recall. */
  sweep: { targetPrecision: number; threshold: number | null; recall: number | null }[];
  /** Recommended review and block thresholds with margins, intervals, volumes and warnings. */
  advice: CategoryAdvice;
  confusion: CategoryConfusion;
  histogram: HistogramBin[];
  reliability: ReliabilityBin[];
  calibrationError: number;
  brier: number;
  falsePositives: Mistake[];
  falseNegatives: Mistake[];
}

export interface EvaluationOptions {
  /** Precision the block threshold must reach. */
  targetPrecision?: number;
  /** Recall the review threshold must keep. */
  targetRecall?: number;
  resamples?: number;
  /** Mistakes listed per table. */
  mistakes?: number;
  /** Fewer positives or negatives than this in a category and its advice carries a warning. */
  minSamples?: number;
}

export interface EvaluationReport {
  images: number;
  targetPrecision: number;
  targetRecall: number;
  minSamples: number;
  categories: CategoryEvaluation[];
  /** Rows: truth (clean / harmful); columns: verdicts. */
  confusion: Record<'clean' | 'harmful', Record<Verdict, number>>;
  /** The review queue and automatic blocks the policy as it stands produces on the sample. */
  volumes: Volumes;
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

function categoryConfusion(
  scores: readonly number[],
  truth: readonly boolean[],
  t: { review: number; block: number },
): CategoryConfusion {
  const out: CategoryConfusion = {
    positive: { below: 0, review: 0, block: 0 },
    negative: { below: 0, review: 0, block: 0 },
  };
  scores.forEach((s, i) => {
    const band: Band = s >= t.block ? 'block' : s >= t.review ? 'review' : 'below';
    out[truth[i] ? 'positive' : 'negative'][band]++;
  });
  return out;
}

const SWEEP_LEVELS = [0.5, 0.8, 0.9, 0.95, 0.99];

export function evaluatePolicy(
  policy: Policy,
  results: readonly LabelledResult[],
  options: EvaluationOptions = {},
): EvaluationReport {
  const target = options.targetPrecision ?? 0.9;
  const targetRecall = options.targetRecall ?? 0.95;
  const resamples = options.resamples ?? 1000;
  const minSamples = options.minSamples ?? 30;
  const limit = options.mistakes ?? 10;
  const truth = categoryTruth(policy, results);
  const flat = flattenCategories(policy.categories);
  const categories = flat.map(({ category }, k): CategoryEvaluation => {
    const t = truth.get(category.id) ?? [];
    const s = results.map((r) => r.scores.categories[category.id].score);
    const at = category.thresholds.review;
    // Recall and F1 are undefined on a resample without positives: it is left out of the interval (NaN).
    const atThreshold =
      (m: (c: ReturnType<typeof countsAt>) => number, needsPositives = false) =>
      (ss: number[], tt: boolean[]) =>
        needsPositives && !tt.some(Boolean) ? NaN : m(countsAt(ss, tt, at));
    const boot = (m: (ss: number[], tt: boolean[]) => number) => bootstrap(s, t, m, resamples, 17 + k);
    const levels = [...new Set([...SWEEP_LEVELS, target])].sort((a, b) => a - b);
    const positives = t.filter(Boolean).length;
    const reliability = reliabilityBins(s, t);
    return {
      id: category.id,
      title: category.title,
      action: category.action,
      positives,
      negatives: t.length - positives,
      reviewThreshold: at,
      blockThreshold: category.thresholds.block,
      precision: boot(atThreshold(precision)),
      recall: boot(atThreshold(recall, true)),
      f1: boot(atThreshold(f1, true)),
      rocAuc: boot(rocAuc),
      averagePrecision: boot(averagePrecision),
      curve: prCurve(s, t),
      sweep: levels.map((p) => {
        const found = thresholdForPrecision(s, t, p);
        return { targetPrecision: p, threshold: found?.threshold ?? null, recall: found?.recall ?? null };
      }),
      advice: adviseCategory(s, t, category.action, category.thresholds, {
        reviewRecall: targetRecall,
        blockPrecision: target,
        resamples,
        seed: 101 + 2 * k,
        minSamples,
      }),
      confusion: categoryConfusion(s, t, category.thresholds),
      histogram: scoreHistogram(s, t),
      reliability,
      calibrationError: expectedCalibrationError(reliability),
      brier: brierScore(s, t),
      ...categoryMistakes(category.id, results, t, at, limit),
    };
  });

  const confusion: EvaluationReport['confusion'] = {
    clean: { allow: 0, review: 0, block: 0 },
    harmful: { allow: 0, review: 0, block: 0 },
  };
  for (const r of results) confusion[r.truth.length > 0 ? 'harmful' : 'clean'][r.verdict]++;
  const ids = flat.map((c) => c.category.id);
  return {
    images: results.length,
    targetPrecision: target,
    targetRecall,
    minSamples,
    categories,
    confusion,
    volumes: {
      images: results.length,
      reviewQueue: results.filter((r) => r.verdict === 'review').length,
      autoBlock: results.filter((r) => r.verdict === 'block').length,
    },
    ...verdictMistakes(ids, results, limit),
  };
}
