import { jStat } from 'jstat';

/** Standard normal quantile Φ⁻¹(p), from jstat (accurate to ~1e-13 against scipy's norm.ppf). */
export const normalQuantile = (p: number): number => jStat.normal.inv(p, 0, 1);

/** z of a two-sided interval at the given confidence level (0.95 → 1.959964). */
export const zFor = (confidence: number): number => normalQuantile(1 - (1 - confidence) / 2);

/**
 * z of simultaneous two-sided intervals over `comparisons` tests (Bonferroni): with it, the chance that
 * any of the intervals misses its true value, so that noise alone raises an alert, is at most `alpha`.
 */
export const bonferroniZ = (alpha: number, comparisons: number): number =>
  normalQuantile(1 - alpha / (2 * Math.max(1, comparisons)));
