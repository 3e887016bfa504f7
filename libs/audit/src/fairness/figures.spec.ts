import { FairnessError } from './errors';
import { computeFairness, type FairnessFigures } from './figures';
import { decision, falsePositiveTraffic, SUBJECT, times } from './spec-support';

describe('fairness figures on a constructed data set (four-fifths rule)', () => {
  // 48 of 80 outlined shapes flagged (60%) against 12 of 40 filled ones (30%): ratio 0.5
  const decisions = [
    ...times(48, { fill: 'outlined', size: 'medium', flags: { star: 'block' } }),
    ...times(32, { fill: 'outlined', size: 'medium' }),
    ...times(12, { fill: 'filled', size: 'medium', flags: { star: 'block' } }),
    ...times(28, { fill: 'filled', size: 'medium' }),
  ];
  // Computed in each test, not at collection: Stryker credits only code run inside a test (docs/mutation-testing.md).
  let f: FairnessFigures;
  beforeEach(() => {
    f = computeFairness(decisions, SUBJECT);
  });

  it('reports n and rates per group and slice', () => {
    const overall = f.probes[0].slices[0];
    expect(overall.category).toBeNull();
    expect(overall.groups.map((g) => [g.group, g.n, g.flag.count, g.block.value])).toEqual([
      ['filled', 40, 12, 0.3],
      ['outlined', 80, 48, 0.6],
    ]);
    expect(f.probes[0].slices.map((s) => s.category)).toEqual([null, 'star', 'red-star', 'circle']);
    expect(f.totals[0].all).toMatchObject({ n: 120, flag: { count: 60 } });
  });

  it('compares every group with the most favoured one, with simultaneous intervals over the report', () => {
    // one pair per slice of the fill probe (4 slices); the size probe has a single group: 4 comparisons,
    // z = Φ⁻¹(1 − 0.05 / 8) = 2.497705
    expect(f.comparisons).toBe(4);
    expect(f.simultaneousZ).toBeCloseTo(2.497705, 5);
    const overall = f.probes[0].slices[0];
    expect(overall.favoured).toBe('filled');
    const outlined = overall.ratios.find((r) => r.group === 'outlined');
    // statsmodels confint_proportions_2indep(12, 40, 48, 80, compare="ratio", method="log", alpha=0.0125)
    expect(outlined?.ratio.value).toBeCloseTo(0.5, 12);
    expect(outlined?.ratio.low).toBeCloseTo(0.2624, 4);
    expect(outlined?.ratio.high).toBeCloseTo(0.9529, 4);
  });

  it('raises the four-fifths alert where the disparity is, and nowhere else', () => {
    expect(
      f.alerts.map((a) => [a.kind, a.probe, a.category, a.kind === 'selection_ratio' && a.group]),
    ).toEqual([
      ['selection_ratio', 'fill', null, 'outlined'],
      ['selection_ratio', 'fill', 'star', 'outlined'],
    ]);
  });
});

describe('a real disparity in false positives', () => {
  // Of the flagged items moderators saw, 20 of 200 filled ones were clean against 70 of 200 outlined ones.
  let f: FairnessFigures;
  beforeEach(() => {
    f = computeFairness(falsePositiveTraffic({ filled: 20, outlined: 70 }), SUBJECT);
  });

  it('is detected with the groups, the gap and its interval', () => {
    const overall = f.probes[0].slices[0];
    expect(overall.falsePositiveGap).toMatchObject({ highest: 'outlined', lowest: 'filled' });
    expect(overall.falsePositiveGap?.gap.value).toBeCloseTo(0.25, 12);
    expect(overall.falsePositiveGap?.gap.low).toBeGreaterThan(0.1);
    const kinds = f.alerts.map((a) => `${a.kind}:${a.category ?? 'all'}`);
    expect(kinds).toEqual(['false_positive_gap:all', 'false_positive_gap:circle']);
  });
});

describe('a real disparity in false negatives', () => {
  // Of the automatic allows in the QA sample, moderators blocked 10 of 200 filled ones and 60 of 200 outlined.
  const missedAs = (fill: string, missed: number) => [
    ...times(missed, { fill, label: { verdict: 'block', categories: ['star'], source: 'qa' } }),
    ...times(200 - missed, { fill, label: { verdict: 'allow', categories: [], source: 'qa' } }),
  ];

  it('is detected from the QA sample, which it counts', () => {
    const f = computeFairness([...missedAs('filled', 10), ...missedAs('outlined', 60)], SUBJECT);
    expect(f).toMatchObject({ decisions: 400, labelled: 400, qaSampled: 400 });
    // per slice of the fill probe (4): one flag-rate pair and one false-negative pair; no review labels
    expect(f.comparisons).toBe(8);
    const overall = f.probes[0].slices[0];
    expect(overall.falseNegativeGap).toMatchObject({ highest: 'outlined', lowest: 'filled' });
    expect(overall.falseNegativeGap?.gap.value).toBeCloseTo(0.25, 12);
    expect(f.alerts).toContainEqual(
      expect.objectContaining({
        kind: 'false_negative_gap',
        probe: 'fill',
        category: null,
        highest: 'outlined',
      }),
    );
  });
});

describe('noise and small groups', () => {
  it('never alerts on a group under the minimum size, however extreme', () => {
    const f = computeFairness(
      [...times(29, { fill: 'outlined', flags: { star: 'block' } }), ...times(1000, { fill: 'filled' })],
      SUBJECT,
    );
    expect(f.probes[0].slices[0].groups.find((g) => g.group === 'outlined')?.tooFew).toBe(true);
    expect(f.alerts).toEqual([]);
    const lowered = computeFairness(
      [...times(29, { fill: 'outlined', flags: { star: 'block' } }), ...times(1000, { fill: 'filled' })],
      SUBJECT,
      { minGroupSize: 20 },
    );
    expect(lowered.alerts.length).toBeGreaterThan(0);
  });
});

describe('options', () => {
  it('rejects bad options with a typed error', () => {
    expect(() => computeFairness([], SUBJECT, { minGroupSize: 0 })).toThrow(FairnessError);
    let caught: unknown;
    try {
      computeFairness([], SUBJECT, { ratioRule: 1.5 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(FairnessError);
    expect((caught as FairnessError).code).toBe('FAIRNESS_OPTIONS_INVALID');
    expect((caught as FairnessError).message).toMatch(/^invalid fairness options: ratioRule: /);
  });

  it('reports the options it used, with defaults filled in', () => {
    expect(computeFairness([decision()], SUBJECT).options).toEqual({
      minGroupSize: 30,
      confidence: 0.95,
      familyAlpha: 0.05,
      ratioRule: 0.8,
      minGap: 0.05,
      ambiguousMargin: 0.1,
    });
  });
});
