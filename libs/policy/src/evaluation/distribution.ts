/** How scores are spread and how well they match observed rates: the data behind the report's plots. */

export interface HistogramBin {
  low: number;
  high: number;
  positives: number;
  negatives: number;
}

/** Scores in [0, 1] counted in equal bins, positives and negatives apart; a score of 1 falls in the last bin. */
export function scoreHistogram(
  scores: readonly number[],
  truth: readonly boolean[],
  bins = 20,
): HistogramBin[] {
  const out = Array.from({ length: bins }, (_, i) => ({
    low: i / bins,
    high: (i + 1) / bins,
    positives: 0,
    negatives: 0,
  }));
  scores.forEach((s, i) => {
    const bin = out[Math.min(bins - 1, Math.max(0, Math.floor(s * bins)))];
    if (truth[i]) bin.positives++;
    else bin.negatives++;
  });
  return out;
}

export interface ReliabilityBin {
  low: number;
  high: number;
  count: number;
  /** Mean score of the images in the bin (what the score "predicts"). */
  meanScore: number;
  /** Share of them that are positive (what was observed). */
  positiveRate: number;
}

/** The reliability diagram's points: equal-width bins over [0, 1], empty bins left out. */
export function reliabilityBins(
  scores: readonly number[],
  truth: readonly boolean[],
  bins = 10,
): ReliabilityBin[] {
  const sums = Array.from({ length: bins }, () => ({ count: 0, score: 0, positives: 0 }));
  scores.forEach((s, i) => {
    const b = sums[Math.min(bins - 1, Math.max(0, Math.floor(s * bins)))];
    b.count++;
    b.score += s;
    if (truth[i]) b.positives++;
  });
  return sums.flatMap((b, i) =>
    b.count === 0
      ? []
      : [
          {
            low: i / bins,
            high: (i + 1) / bins,
            count: b.count,
            meanScore: b.score / b.count,
            positiveRate: b.positives / b.count,
          },
        ],
  );
}

/** Expected calibration error: the count-weighted mean gap between mean score and observed rate. */
export function expectedCalibrationError(bins: readonly ReliabilityBin[]): number {
  const n = bins.reduce((a, b) => a + b.count, 0);
  if (n === 0) return NaN;
  return bins.reduce((a, b) => a + (b.count / n) * Math.abs(b.meanScore - b.positiveRate), 0);
}

/** Brier score: the mean squared difference between score and truth (0 is perfect). */
export function brierScore(scores: readonly number[], truth: readonly boolean[]): number {
  if (scores.length === 0) return NaN;
  return scores.reduce((a, s, i) => a + (s - (truth[i] ? 1 : 0)) ** 2, 0) / scores.length;
}
