/**
 * Binary-classification metrics over scores. Written here rather than imported: the npm packages for
 * ROC/PR metrics are unmaintained or browser-oriented, and these are short, exact and pure.
 */
export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export function countsAt(scores: readonly number[], truth: readonly boolean[], threshold: number): Counts {
  const c = { tp: 0, fp: 0, fn: 0, tn: 0 };
  scores.forEach((s, i) => {
    const predicted = s >= threshold;
    if (predicted && truth[i]) c.tp++;
    else if (predicted) c.fp++;
    else if (truth[i]) c.fn++;
    else c.tn++;
  });
  return c;
}

export const precision = (c: Counts) => (c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp));
export const recall = (c: Counts) => (c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn));
export function f1(c: Counts): number {
  const p = precision(c);
  const r = recall(c);
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

/** ROC-AUC as the probability that a positive outranks a negative (ties count half). NaN without both classes. */
export function rocAuc(scores: readonly number[], truth: readonly boolean[]): number {
  const order = scores.map((s, i) => ({ s, t: truth[i] })).sort((a, b) => a.s - b.s);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j].s === order[i].s) j++;
    const averageRank = (i + j + 1) / 2; // 1-based ranks i+1..j
    for (let k = i; k < j; k++) if (order[k].t) rankSum += averageRank;
    positives += order.slice(i, j).filter((o) => o.t).length;
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface CurvePoint {
  threshold: number;
  precision: number;
  recall: number;
}

/** Precision–recall at every distinct score, highest threshold first. */
export function prCurve(scores: readonly number[], truth: readonly boolean[]): CurvePoint[] {
  const thresholds = [...new Set(scores)].sort((a, b) => b - a);
  return thresholds.map((threshold) => {
    const c = countsAt(scores, truth, threshold);
    return { threshold, precision: precision(c), recall: recall(c) };
  });
}

/** Average precision: Σ (R_n − R_{n−1}) · P_n over the PR curve (scikit-learn's definition). */
export function averagePrecision(scores: readonly number[], truth: readonly boolean[]): number {
  if (!truth.some(Boolean)) return NaN;
  let previousRecall = 0;
  let ap = 0;
  for (const p of prCurve(scores, truth)) {
    ap += (p.recall - previousRecall) * p.precision;
    previousRecall = p.recall;
  }
  return ap;
}

/** The lowest threshold whose precision reaches the target (the most recall at that precision), if any. */
export function thresholdForPrecision(
  scores: readonly number[],
  truth: readonly boolean[],
  target: number,
): CurvePoint | undefined {
  return prCurve(scores, truth)
    .filter((p) => p.precision >= target && p.recall > 0)
    .sort((a, b) => b.recall - a.recall || b.threshold - a.threshold)[0];
}

/**
 * The highest threshold whose recall reaches the target (the most precision at that recall), if any. Recall
 * only grows as the threshold falls, so this is the first such point from the top of the PR curve.
 */
export function thresholdForRecall(
  scores: readonly number[],
  truth: readonly boolean[],
  target: number,
): CurvePoint | undefined {
  if (!truth.some(Boolean)) return undefined;
  return prCurve(scores, truth).find((p) => p.recall >= target && p.recall > 0);
}

/** Seeded PRNG (mulberry32): bootstrap intervals are reproducible run to run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Interval {
  value: number;
  low: number;
  high: number;
}

/** One bootstrap resample: n (score, truth) pairs drawn with replacement. */
export function resample(
  scores: readonly number[],
  truth: readonly boolean[],
  random: () => number,
): { s: number[]; t: boolean[] } {
  const s: number[] = [];
  const t: boolean[] = [];
  for (let i = 0; i < scores.length; i++) {
    const k = Math.floor(random() * scores.length);
    s.push(scores[k]);
    t.push(truth[k]);
  }
  return { s, t };
}

/** Percentile bootstrap 95% interval of a metric over resampled (score, truth) pairs. */
export function bootstrap(
  scores: readonly number[],
  truth: readonly boolean[],
  metric: (s: number[], t: boolean[]) => number,
  resamples = 1000,
  seed = 1,
): Interval {
  const random = seededRandom(seed);
  const values: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const { s, t } = resample(scores, truth, random);
    const v = metric(s, t);
    if (!Number.isNaN(v)) values.push(v);
  }
  values.sort((a, b) => a - b);
  const pick = (q: number) =>
    values.length ? values[Math.min(values.length - 1, Math.floor(q * values.length))] : NaN;
  return { value: metric([...scores], [...truth]), low: pick(0.025), high: pick(0.975) };
}
