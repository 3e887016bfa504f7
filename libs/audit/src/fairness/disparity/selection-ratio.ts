import type { GroupRates } from '../groups/metric-frame';
import { katzRatio, type Interval } from '../stats/intervals';

export interface SelectionRatio {
  group: string;
  /** The most favoured group's flag rate over this group's: 1 is parity, below the rule is adverse. */
  ratio: Interval;
}

/**
 * The most favoured group: the lowest flag rate among groups with enough decisions (flagging is the
 * adverse outcome here). Ties go to the first group in policy order.
 */
export function favouredGroup(groups: readonly GroupRates[]): GroupRates | undefined {
  return groups
    .filter((g) => !g.flag.tooFew)
    .reduce<GroupRates | undefined>(
      (best, g) => (!best || g.flag.value < best.flag.value ? g : best),
      undefined,
    );
}

/**
 * The four-fifths rule on adverse rates, as Fairlearn's demographic_parity_ratio (min over max selection
 * rate) but per group: favoured flag rate ÷ this group's flag rate. A ratio of allow rates would stay near 1
 * at the low flag rates moderation runs at (2% vs 6% flagged is 0.96) and could not see a group flagged
 * three times as often. Katz's log interval rather than a bootstrap: closed form, so simultaneous
 * (Bonferroni) intervals over many groups and categories cost nothing and are reproducible without a seed.
 */
export function selectionRatios(groups: readonly GroupRates[], z: number): SelectionRatio[] {
  const favoured = favouredGroup(groups);
  if (!favoured) return [];
  return groups
    .filter((g) => !g.flag.tooFew)
    .map((g) => ({
      group: g.group,
      ratio: g === favoured ? { value: 1, low: 1, high: 1 } : katzRatio(favoured.flag, g.flag, z),
    }));
}
