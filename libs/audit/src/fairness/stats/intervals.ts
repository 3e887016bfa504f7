/**
 * Interval estimates for proportions. Written here: the formulas are a few lines each, and no maintained
 * npm package implements the Wilson score, Newcombe's hybrid score or Katz's log interval.
 */
import type { Interval } from '@clipguard/policy';

export type { Interval };

/** A proportion `count / n` with its interval. */
export interface Rate extends Interval {
  count: number;
  n: number;
}

export interface Tally {
  count: number;
  n: number;
}

/**
 * Wilson score interval (Wilson 1927; method 3 of Newcombe 1998, Stat Med 17:857). Unlike the Wald interval
 * it stays inside [0, 1] and keeps its coverage for small n and rates near 0 or 1. n = 0 gives NaN in [0, 1].
 */
export function wilson({ count, n }: Tally, z: number): Rate {
  if (n === 0) return { count, n, value: NaN, low: 0, high: 1 };
  const p = count / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { count, n, value: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Difference a − b of two independent proportions with Newcombe's hybrid score interval (method 10 of
 * Newcombe 1998, Stat Med 17:873), built from each proportion's Wilson interval.
 */
export function newcombeDifference(a: Tally, b: Tally, z: number): Interval {
  const wa = wilson(a, z);
  const wb = wilson(b, z);
  const value = wa.value - wb.value;
  return {
    value,
    low: value - Math.hypot(wa.value - wa.low, wb.high - wb.value),
    high: value + Math.hypot(wa.high - wa.value, wb.value - wb.low),
  };
}

/**
 * Ratio a / b of two independent proportions with Katz's log interval (Katz et al. 1978, Biometrics 34:469):
 * ln(ratio) ± z·√(1/xa − 1/na + 1/xb − 1/nb). When a count is 0 the interval uses counts and sizes plus 0.5
 * (Haldane's correction) so it stays finite; the point estimate keeps the raw counts. Both rates 0 is
 * parity: value 1.
 */
export function katzRatio(a: Tally, b: Tally, z: number): Interval {
  const value = a.count === 0 && b.count === 0 ? 1 : a.count / a.n / (b.count / b.n);
  const c = a.count === 0 || b.count === 0 ? 0.5 : 0;
  const [xa, na, xb, nb] = [a.count + c, a.n + c, b.count + c, b.n + c];
  const centre = Math.log(xa / na / (xb / nb));
  const se = Math.sqrt(1 / xa - 1 / na + 1 / xb - 1 / nb);
  return { value, low: Math.exp(centre - z * se), high: Math.exp(centre + z * se) };
}
