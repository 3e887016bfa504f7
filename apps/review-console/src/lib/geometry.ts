/**
 * Where things sit on a horizontal bar of `width` pixels for values in [min, max]: score bars against
 * their thresholds, rates with intervals, ratios against the 0.8 line. Clamped, so an out-of-range value
 * is drawn at the edge rather than off the chart.
 */
export function scaleX(value: number, width: number, min = 0, max = 1): number {
  if (max <= min) return 0;
  const t = (value - min) / (max - min);
  return Math.max(0, Math.min(1, t)) * width;
}

export type Band = 'allow' | 'review' | 'block';

/** The band a score falls in: at or above the block threshold blocks, at or above review reviews. */
export function bandOf(score: number, t: { review: number; block: number }): Band {
  if (score >= t.block) return 'block';
  if (score >= t.review) return 'review';
  return 'allow';
}

/** An interval as a segment [x1, x2]; an open end (null) runs to the edge of the chart. */
export function intervalSegment(
  low: number | null,
  high: number | null,
  width: number,
  min = 0,
  max = 1,
): [number, number] {
  return [scaleX(low ?? min, width, min, max), scaleX(high ?? max, width, min, max)];
}

/** A rounded upper bound for an axis that must show `values` and `minimum` (ratios: at least 1.2). */
export function axisMax(values: readonly (number | null)[], minimum: number): number {
  const top = Math.max(minimum, ...values.filter((v): v is number => v !== null && Number.isFinite(v)));
  return Math.ceil(top * 5) / 5;
}
