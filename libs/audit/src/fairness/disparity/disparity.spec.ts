import { groupRates, type GroupRates } from '../groups/metric-frame';
import { zFor } from '../stats/normal';
import { gapAlert, ratioAlerts } from './alerts';
import { comparisonsIn, largestGap } from './gap';
import { favouredGroup, selectionRatios } from './selection-ratio';

const Z95 = zFor(0.95);

function group(
  name: string,
  n: number,
  flagged: number,
  fp: [number, number] = [0, 0],
  fn: [number, number] = [0, 0],
): GroupRates {
  return groupRates(
    {
      group: name,
      n,
      flag: { count: flagged, n },
      review: { count: 0, n },
      block: { count: flagged, n },
      falsePositive: { count: fp[0], n: fp[1] },
      falseNegative: { count: fn[0], n: fn[1] },
    },
    Z95,
    30,
  );
}

describe('selection-rate ratio (four-fifths rule)', () => {
  const groups = [group('outlined', 80, 48), group('filled', 40, 12), group('hatched', 10, 0)];

  it('takes the lowest flag rate among groups with enough decisions as the most favoured', () => {
    // hatched has the lowest rate (0) but only 10 decisions
    expect(favouredGroup(groups)?.group).toBe('filled');
  });

  it("divides the favoured group's rate by each group's, with Katz's interval", () => {
    const ratios = selectionRatios(groups, Z95);
    expect(ratios.map((r) => r.group)).toEqual(['outlined', 'filled']);
    // 0.3 / 0.6; statsmodels confint_proportions_2indep(12, 40, 48, 80, compare="ratio", method="log")
    expect(ratios[0].ratio.value).toBeCloseTo(0.5, 12);
    expect(ratios[0].ratio.low).toBeCloseTo(0.3014, 4);
    expect(ratios[0].ratio.high).toBeCloseTo(0.8294, 4);
    expect(ratios[1].ratio).toEqual({ value: 1, low: 1, high: 1 });
  });

  it('alerts when the ratio is under the rule and its interval excludes parity', () => {
    const ratios = selectionRatios(groups, Z95);
    const alerts = ratioAlerts({ probe: 'fill', category: null }, 'filled', ratios, { ratioRule: 0.8 });
    expect(alerts).toEqual([
      {
        probe: 'fill',
        category: null,
        kind: 'selection_ratio',
        group: 'outlined',
        favoured: 'filled',
        ratio: ratios[0].ratio,
      },
    ]);
  });

  it('does not alert when the interval reaches parity, however low the ratio', () => {
    const small = [group('a', 30, 1), group('b', 30, 3)];
    const ratios = selectionRatios(small, Z95);
    expect(ratios[1].ratio.value).toBeCloseTo(1 / 3, 12);
    expect(ratios[1].ratio.high).toBeGreaterThan(1);
    expect(ratioAlerts({ probe: 'fill', category: null }, 'a', ratios, { ratioRule: 0.8 })).toEqual([]);
  });

  it('does not alert on a certain but small difference (ratio above the rule)', () => {
    const large = [group('a', 100000, 9000), group('b', 100000, 10000)];
    const ratios = selectionRatios(large, Z95);
    expect(ratios[1].ratio.high).toBeLessThan(1);
    expect(ratioAlerts({ probe: 'fill', category: null }, 'a', ratios, { ratioRule: 0.8 })).toEqual([]);
  });

  it('gives a tie for the lowest flag rate to the first group in policy order', () => {
    expect(favouredGroup([group('a', 40, 4), group('b', 40, 4), group('c', 40, 8)])?.group).toBe('a');
  });

  it('does not alert at exactly four fifths: the rule flags a ratio less than 0.8', () => {
    // EEOC Uniform Guidelines, 29 CFR 1607.4(D): a rate "less than four-fifths" of the highest is adverse.
    const slice = { probe: 'fill', category: null };
    const ratio = (value: number) => [{ group: 'b', ratio: { value, low: value - 0.1, high: value + 0.1 } }];
    expect(ratioAlerts(slice, 'a', ratio(0.8), { ratioRule: 0.8 })).toEqual([]);
    expect(ratioAlerts(slice, 'a', ratio(0.79), { ratioRule: 0.8 })).toHaveLength(1);
  });

  it('does not alert when the interval ends exactly at parity: it does not exclude 1', () => {
    const ratios = [{ group: 'b', ratio: { value: 0.5, low: 0.25, high: 1 } }];
    expect(ratioAlerts({ probe: 'fill', category: null }, 'a', ratios, { ratioRule: 0.8 })).toEqual([]);
  });

  it('raises nothing without a favoured group', () => {
    const ratios = [{ group: 'b', ratio: { value: 0.5, low: 0.3, high: 0.7 } }];
    expect(ratioAlerts({ probe: 'fill', category: null }, undefined, ratios, { ratioRule: 0.8 })).toEqual([]);
  });

  it('has no favoured group and no ratios when every group is too small', () => {
    expect(favouredGroup([group('a', 29, 0), group('b', 29, 29)])).toBeUndefined();
    expect(selectionRatios([group('a', 29, 0), group('b', 29, 29)], Z95)).toEqual([]);
  });
});

describe('largest error-rate gap', () => {
  it('compares the highest and the lowest rate among groups with enough labels', () => {
    const groups = [
      group('a', 500, 100, [10, 100]),
      group('b', 500, 100, [30, 100]),
      group('c', 500, 100, [9, 20]),
    ];
    const gap = largestGap(groups, 'falsePositive', Z95);
    expect(gap).toMatchObject({ highest: 'b', lowest: 'a' });
    // 30/100 − 10/100; statsmodels confint_proportions_2indep(30, 100, 10, 100, method="newcomb")
    expect(gap?.gap.value).toBeCloseTo(0.2, 12);
    expect(gap?.gap.low).toBeCloseTo(0.09, 4);
    expect(gap?.gap.high).toBeCloseTo(0.3058, 4);
  });

  it('finds the highest and the lowest rate wherever they are in the group order', () => {
    const groups = [
      group('middle', 500, 100, [20, 100]),
      group('highest', 500, 100, [30, 100]),
      group('lowest', 500, 100, [10, 100]),
    ];
    const gap = largestGap(groups, 'falsePositive', Z95);
    expect(gap).toMatchObject({ highest: 'highest', lowest: 'lowest' });
    expect(gap?.gap.value).toBeCloseTo(0.2, 12);
  });

  it('reports a zero gap between two distinct groups when the rates are equal', () => {
    const gap = largestGap([group('a', 50, 0, [5, 50]), group('b', 50, 0, [5, 50])], 'falsePositive', Z95);
    expect(gap).toMatchObject({ highest: 'b', lowest: 'a', gap: { value: 0 } });
  });

  it('needs two groups with enough labels', () => {
    expect(
      largestGap([group('a', 50, 0, [5, 50]), group('b', 50, 0, [5, 29])], 'falsePositive', Z95),
    ).toBeUndefined();
  });

  it('alerts when the gap is at least the minimum and its interval excludes 0', () => {
    const gap = largestGap(
      [group('a', 0, 0, [0, 0], [10, 100]), group('b', 0, 0, [0, 0], [30, 100])],
      'falseNegative',
      Z95,
    );
    const slice = { probe: 'fill', category: 'star' };
    expect(gapAlert(slice, 'falseNegative', gap, { minGap: 0.05 })).toEqual([
      { ...slice, kind: 'false_negative_gap', highest: 'b', lowest: 'a', gap: gap?.gap },
    ]);
    expect(gapAlert(slice, 'falseNegative', gap, { minGap: 0.25 })).toEqual([]);
    const unsure = largestGap([group('a', 0, 0, [3, 30]), group('b', 0, 0, [6, 30])], 'falsePositive', Z95);
    expect(unsure?.gap.low).toBeLessThan(0);
    expect(gapAlert(slice, 'falsePositive', unsure, { minGap: 0 })).toEqual([]);
  });
});

describe('error-rate gap alerts at their bounds', () => {
  const slice = { probe: 'fill', category: 'star' };
  const gapOf = (value: number, low: number) => ({
    highest: 'b',
    lowest: 'a',
    gap: { value, low, high: value + 0.1 },
  });

  it('alerts on a gap of exactly the minimum ("at least minGap"), naming the false-positive kind', () => {
    expect(gapAlert(slice, 'falsePositive', gapOf(0.1, 0.02), { minGap: 0.1 })).toEqual([
      { ...slice, kind: 'false_positive_gap', highest: 'b', lowest: 'a', gap: gapOf(0.1, 0.02).gap },
    ]);
  });

  it('does not alert when the interval reaches 0 exactly: it does not exclude a zero gap', () => {
    expect(gapAlert(slice, 'falsePositive', gapOf(0.2, 0), { minGap: 0.1 })).toEqual([]);
  });
});

describe('comparisons', () => {
  it('counts the group pairs each tested figure can compare', () => {
    // flag: 3 eligible groups → 3 pairs; false positives: 2 → 1; false negatives: 0
    const groups = [
      group('a', 40, 1, [1, 30]),
      group('b', 40, 1, [1, 30]),
      group('c', 40, 1),
      group('d', 5, 1),
    ];
    expect(comparisonsIn(groups)).toBe(4);
  });
});
