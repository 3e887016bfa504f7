import { decision, SUBJECT, times } from '../spec-support';
import { zFor } from '../stats/normal';
import { groupRates, tallyAll, tallyByGroup } from './metric-frame';
import { overallOutcome } from './outcomes';

const fill = SUBJECT.probes[0];

describe('tallies by group', () => {
  const decisions = [
    ...times(3, { fill: 'filled', flags: { star: 'block' } }),
    ...times(5, { fill: 'filled' }),
    ...times(2, { fill: 'outlined', flags: { star: 'review' } }),
    ...times(1, { fill: 'hatched', flags: { circle: 'allow' } }),
    ...times(4, {}),
  ];

  it('counts each group in policy order, then values the policy does not name', () => {
    const t = tallyByGroup(decisions, fill, overallOutcome);
    expect(t.map((g) => [g.group, g.n, g.flag.count, g.review.count, g.block.count])).toEqual([
      ['filled', 8, 3, 0, 3],
      ['outlined', 2, 2, 2, 0],
      ['hatched', 1, 1, 0, 0],
    ]);
  });

  it('keeps a group of the policy that no decision fell in, with n = 0', () => {
    const t = tallyByGroup(times(2, { fill: 'filled' }), fill, overallOutcome);
    expect(t.map((g) => [g.group, g.n])).toEqual([
      ['filled', 2],
      ['outlined', 0],
    ]);
  });

  it('counts every decision, with or without the probe, in the overall tally', () => {
    expect(tallyAll(decisions, overallOutcome)).toMatchObject({
      group: '(all)',
      n: 15,
      flag: { count: 6, n: 15 },
    });
  });

  it('counts error rates over their candidates only', () => {
    const labelled = [
      decision({
        fill: 'filled',
        flags: { star: 'block' },
        label: { verdict: 'allow', categories: [], source: 'review' },
      }),
      decision({
        fill: 'filled',
        flags: { star: 'block' },
        label: { verdict: 'block', categories: ['star'], source: 'review' },
      }),
      decision({ fill: 'filled', label: { verdict: 'block', categories: ['star'], source: 'qa' } }),
      decision({ fill: 'filled' }),
    ];
    const [filled] = tallyByGroup(labelled, fill, overallOutcome);
    expect(filled.falsePositive).toEqual({ count: 1, n: 2 });
    expect(filled.falseNegative).toEqual({ count: 1, n: 1 });
  });
});

describe('group rates', () => {
  it('gives each rate its Wilson interval and marks what rests on too few', () => {
    const [filled, outlined] = tallyByGroup(
      [
        ...times(15, { fill: 'filled', flags: { star: 'block' } }),
        ...times(133, { fill: 'filled' }),
        ...times(3, { fill: 'outlined' }),
      ],
      fill,
      overallOutcome,
    ).map((t) => groupRates(t, zFor(0.95), 30));
    // 15/148: Newcombe (1998) Table I, Wilson [0.0624, 0.1605]
    expect(filled.flag.value).toBeCloseTo(15 / 148, 12);
    expect(filled.flag.low).toBeCloseTo(0.0624, 4);
    expect(filled.flag.high).toBeCloseTo(0.1605, 4);
    expect(filled.tooFew).toBe(false);
    expect(filled.flag.tooFew).toBe(false);
    expect(filled.falsePositive.tooFew).toBe(true);
    expect(outlined.tooFew).toBe(true);
    expect(outlined.flag.tooFew).toBe(true);
  });

  it('counts a group of exactly the minimum size as enough', () => {
    const [filled] = tallyByGroup(times(30, { fill: 'filled' }), fill, overallOutcome).map((t) =>
      groupRates(t, zFor(0.95), 30),
    );
    expect(filled.n).toBe(30);
    expect(filled.tooFew).toBe(false);
    expect(filled.flag.tooFew).toBe(false);
  });
});
