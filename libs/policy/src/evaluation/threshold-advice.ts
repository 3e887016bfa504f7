import {
  resample,
  seededRandom,
  thresholdForPrecision,
  thresholdForRecall,
  type CurvePoint,
} from './metrics';

export type CategoryAction = 'block' | 'review' | 'flag';

/**
 * Every threshold in (next lower score, chosen score] gives the same counts on the sample; the midpoint of
 * that gap keeps the largest distance from both the images it flags and the ones it lets through, instead of
 * sitting on the lowest flagged score with no margin at all.
 */
export function withMargin(
  scores: readonly number[],
  chosen: number,
): { threshold: number; low: number; high: number } {
  const below = scores.reduce((m, s) => (s < chosen && s > m ? s : m), 0);
  return { threshold: (below + chosen) / 2, low: below, high: chosen };
}

export interface ThresholdAdvice {
  /** The recommended threshold: mid-gap, see withMargin. */
  threshold: number;
  /** Bootstrap 95% interval of the recommended threshold. */
  low: number;
  high: number;
  /** Thresholds from just above gapLow up to gapHigh give the same counts on this sample. */
  gapLow: number;
  gapHigh: number;
  /** Precision and recall at the threshold on this sample. */
  precision: number;
  recall: number;
  /** Share of bootstrap resamples in which the target could be reached at all. */
  reachedShare: number;
}

type Pick = (scores: readonly number[], truth: readonly boolean[]) => CurvePoint | undefined;

function percentile(sorted: readonly number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
}

/** A threshold chosen by `pick`, moved to mid-gap, with a percentile bootstrap interval over resamples. */
export function adviseThreshold(
  scores: readonly number[],
  truth: readonly boolean[],
  pick: Pick,
  resamples = 1000,
  seed = 1,
): ThresholdAdvice | null {
  const point = pick(scores, truth);
  if (!point) return null;
  const random = seededRandom(seed);
  const found: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const { s, t } = resample(scores, truth, random);
    const p = pick(s, t);
    if (p) found.push(withMargin(s, p.threshold).threshold);
  }
  found.sort((a, b) => a - b);
  const margin = withMargin(scores, point.threshold);
  return {
    threshold: margin.threshold,
    low: percentile(found, 0.025),
    high: percentile(found, 0.975),
    gapLow: margin.low,
    gapHigh: margin.high,
    precision: point.precision,
    recall: point.recall,
    reachedShare: resamples > 0 ? found.length / resamples : 1,
  };
}

export interface Volumes {
  images: number;
  /** Images this category alone sends to the review queue. */
  reviewQueue: number;
  /** Images this category alone blocks without a human. */
  autoBlock: number;
}

/** What a category's thresholds do to the sample, capped by its action as decisions are. */
export function volumesAt(
  scores: readonly number[],
  action: CategoryAction,
  thresholds: { review: number; block: number },
): Volumes {
  let reviewQueue = 0;
  let autoBlock = 0;
  for (const s of scores) {
    if (action === 'flag' || s < thresholds.review) continue;
    if (action === 'block' && s >= thresholds.block) autoBlock++;
    else reviewQueue++;
  }
  return { images: scores.length, reviewQueue, autoBlock };
}

export interface AdviceOptions {
  /** Recall the review threshold must keep (share of harmful images that reach a human at least). */
  reviewRecall: number;
  /** Precision the block threshold must reach (share of automatic blocks that are right). */
  blockPrecision: number;
  resamples: number;
  seed: number;
  /** Fewer positives or negatives than this and the advice carries a small-sample warning. */
  minSamples: number;
}

export interface CategoryAdvice {
  review: ThresholdAdvice | null;
  block: ThresholdAdvice | null;
  current: Volumes;
  /** Volumes at the recommended pair (a missing recommendation keeps the current threshold). */
  recommended: Volumes;
  warnings: string[];
}

const pct = (v: number) => `${Math.round(v * 100)}%`;

export function adviseCategory(
  scores: readonly number[],
  truth: readonly boolean[],
  action: CategoryAction,
  current: { review: number; block: number },
  o: AdviceOptions,
): CategoryAdvice {
  const review = adviseThreshold(
    scores,
    truth,
    (s, t) => thresholdForRecall(s, t, o.reviewRecall),
    o.resamples,
    o.seed,
  );
  const block = adviseThreshold(
    scores,
    truth,
    (s, t) => thresholdForPrecision(s, t, o.blockPrecision),
    o.resamples,
    o.seed + 1,
  );
  const warnings: string[] = [];
  const positives = truth.filter(Boolean).length;
  const negatives = truth.length - positives;
  if (positives < o.minSamples || negatives < o.minSamples) {
    warnings.push(
      `small sample: ${positives} positive and ${negatives} negative images (fewer than ${o.minSamples}); treat these thresholds as a first guess and label more`,
    );
  }
  if (!review) warnings.push(`no threshold reaches recall ${o.reviewRecall} for review`);
  if (!block) warnings.push(`no threshold reaches precision ${o.blockPrecision} for block`);
  for (const [name, a] of [
    ['review', review],
    ['block', block],
  ] as const) {
    if (a && a.reachedShare < 0.9)
      warnings.push(`the ${name} target was reachable in only ${pct(a.reachedShare)} of bootstrap resamples`);
  }
  let reviewAdvice = review;
  if (review && block && review.threshold > block.threshold) {
    reviewAdvice = { ...block };
    warnings.push(
      'the block threshold already keeps the review recall target: no review band is needed on this sample',
    );
  }
  const pair = {
    review: reviewAdvice?.threshold ?? current.review,
    block: block?.threshold ?? current.block,
  };
  pair.review = Math.min(pair.review, pair.block);
  const recommended = volumesAt(scores, action, pair);
  if (recommended.images > 0 && recommended.reviewQueue / recommended.images > 0.5) {
    warnings.push(
      `the advised review threshold sends ${pct(recommended.reviewQueue / recommended.images)} of images to review: look at the lowest-scored positives for mislabelled images before using it`,
    );
  }
  return { review: reviewAdvice, block, current: volumesAt(scores, action, current), recommended, warnings };
}
