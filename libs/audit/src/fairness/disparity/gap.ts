import type { GroupRates, MeasuredRate } from '../groups/metric-frame';
import { newcombeDifference, type Interval } from '../stats/intervals';

export type ErrorRateName = 'falsePositive' | 'falseNegative';

export interface ErrorRateGap {
  /** The groups with the highest and the lowest rate. */
  highest: string;
  lowest: string;
  /** Highest minus lowest rate, with Newcombe's interval. */
  gap: Interval;
}

const eligible = (groups: readonly GroupRates[], rate: ErrorRateName) =>
  groups
    .map((g) => ({ group: g.group, rate: g[rate] }))
    .filter((g): g is { group: string; rate: MeasuredRate } => !g.rate.tooFew);

/** The largest between-group gap in an error rate, among groups with enough labels; none below two groups. */
export function largestGap(
  groups: readonly GroupRates[],
  rate: ErrorRateName,
  z: number,
): ErrorRateGap | undefined {
  const candidates = eligible(groups, rate);
  if (candidates.length < 2) return undefined;
  const sorted = [...candidates].sort((a, b) => a.rate.value - b.rate.value);
  const lowest = sorted[0];
  const highest = sorted[sorted.length - 1];
  return {
    highest: highest.group,
    lowest: lowest.group,
    gap: newcombeDifference(highest.rate, lowest.rate, z),
  };
}

/** Group pairs one slice can compare: the family size for the simultaneous intervals. */
export function comparisonsIn(groups: readonly GroupRates[]): number {
  const pairs = (k: number) => (k * (k - 1)) / 2;
  return (
    pairs(groups.filter((g) => !g.flag.tooFew).length) +
    pairs(eligible(groups, 'falsePositive').length) +
    pairs(eligible(groups, 'falseNegative').length)
  );
}
