import { FairnessError } from '../errors';
import { decision, times } from '../spec-support';
import { dailyDistributions } from './daily';
import { binOf, histogram, uniformEdges } from './histogram';
import { psi } from './psi';
import { stabilityAgainst } from './stability';

describe('histogram bins', () => {
  it('splits [0, 1] into equal bins with exact decimal edges', () => {
    expect(uniformEdges(4)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(uniformEdges(10)[3]).toBe(0.3);
    expect(binOf(0.3, uniformEdges(10))).toBe(3);
  });

  it('spans any range, ending exactly at its upper bound', () => {
    // 0.2 + (0.7 · 10) / 10 is 0.8999999999999999 in floating point: the last edge is the bound itself
    const edges = uniformEdges(10, 0.2, 0.9);
    expect(edges).toHaveLength(11);
    expect(edges[0]).toBe(0.2);
    expect(edges[5]).toBeCloseTo(0.55, 15);
    expect(edges[10]).toBe(0.9);
  });

  it('puts each value in [low, high), closes the last bin and clamps outliers into the end bins', () => {
    expect(histogram([0, 0.1, 0.25, 0.49999, 0.5, 0.99, 1, 1.2, -0.1], uniformEdges(4))).toEqual([
      3, 2, 1, 3,
    ]);
  });
});

describe('population stability index', () => {
  it('matches the hand-computed index without smoothing', () => {
    // shares e = .4 .3 .2 .1, a = .3 .3 .25 .15:
    // (−.1)·ln(.75) + 0 + (.05)·ln(1.25) + (.05)·ln(1.5) = .0287682 + .0111572 + .0202733 = .0601987
    const p = psi([40, 30, 20, 10], [30, 30, 25, 15], 0);
    expect(p.value).toBeCloseTo(0.0601986, 6);
    expect(p.bins.map((b) => b.contribution)).toEqual([
      expect.closeTo(0.0287682, 6),
      0,
      expect.closeTo(0.0111572, 6),
      expect.closeTo(0.0202733, 6),
    ]);
  });

  it('smooths an empty bin with the pseudo-count instead of going infinite', () => {
    // with 0.5 added per bin: e = (50.5, 50.5, 0.5) / 101.5, a = (40.5, 40.5, 20.5) / 101.5;
    // 2 · (−10/101.5)·ln(40.5/50.5) + (20/101.5)·ln(20.5/0.5) = 2 · .0217410 + .7317383 = .7752204
    expect(psi([50, 50, 0], [40, 40, 20], 0.5).value).toBeCloseTo(0.7752204, 6);
    expect(psi([50, 50, 0], [40, 40, 20], 0).value).toBe(Infinity);
  });

  it('is 0 for the same shares at any sample size, and NaN with no data on a side', () => {
    expect(psi([5, 3, 2], [50, 30, 20], 0).value).toBe(0);
    expect(psi([0, 0], [1, 2])).toEqual({ value: NaN, bins: [] });
    expect(psi([1, 2], [0, 0]).value).toBeNaN();
  });
});

describe('daily distributions', () => {
  const decisions = [
    decision({ day: '2026-01-06', flags: { star: 'block' }, scores: { star: 0.9, circle: 0.1 } }),
    decision({ day: '2026-01-05', scores: { star: 0.1, circle: 0.3 } }),
    decision({ day: '2026-01-05', flags: { circle: 'review' }, scores: { star: 0.2, circle: 0.6 } }),
    decision({ day: '2026-01-05', scores: { star: 0.3 } }),
  ];

  it('groups by UTC day in date order with verdict shares and score histograms', () => {
    const days = dailyDistributions(decisions, ['star', 'circle'], { bins: 2 });
    expect(days.map((d) => [d.day, d.decisions])).toEqual([
      ['2026-01-05', 3],
      ['2026-01-06', 1],
    ]);
    expect(days[0].verdicts.allow).toEqual({ count: 2, share: 2 / 3 });
    expect(days[0].verdicts.review).toEqual({ count: 1, share: 1 / 3 });
    // circle was not scored on the third decision (an older policy)
    expect(days[0].scores).toEqual([
      { category: 'star', counts: [3, 0] },
      { category: 'circle', counts: [1, 1] },
    ]);
    expect(days[1].verdicts.block.share).toBe(1);
  });

  it('uses the UTC day, not the local one', () => {
    const late = { ...decision(), decidedAt: new Date('2026-01-05T23:30:00-05:00') };
    expect(dailyDistributions([late], [], {})[0].day).toBe('2026-01-06');
  });
});

describe('stability against a baseline window', () => {
  const scored = (counts: number[]) =>
    counts.flatMap((n, bin) => times(n, { scores: { star: bin * 0.25 + 0.1 } }));
  const baseline = scored([40, 30, 20, 10]);
  const current = scored([30, 30, 25, 15]);

  it("gives each category's PSI over the configured bins and says when it passes the level", () => {
    const [verdicts, star] = stabilityAgainst(baseline, current, ['star'], { bins: 4, pseudoCount: 0 });
    expect(star).toMatchObject({ category: 'star', baseline: 100, current: 100, drifted: false });
    expect(star.psi.value).toBeCloseTo(0.0601986, 6);
    expect(verdicts).toMatchObject({ category: null, drifted: false, psi: { value: 0 } });
    const strict = stabilityAgainst(baseline, current, ['star'], { bins: 4, pseudoCount: 0, level: 0.05 });
    expect(strict[1].drifted).toBe(true);
    // at the level itself counts as drifted
    const at = stabilityAgainst(baseline, current, ['star'], {
      bins: 4,
      pseudoCount: 0,
      level: star.psi.value,
    });
    expect(at[1].drifted).toBe(true);
  });

  it('sees a shift in the verdict mix', () => {
    const blocked = times(100, { flags: { star: 'block' } });
    const [verdicts] = stabilityAgainst(times(100, {}), [...times(50, {}), ...blocked.slice(50)], []);
    expect(verdicts.drifted).toBe(true);
  });

  it('rejects bad options with a typed error', () => {
    expect(() => stabilityAgainst([], [], [], { bins: 1 })).toThrow(FairnessError);
    expect(() => stabilityAgainst([], [], [], { bins: 1, level: 0 })).toThrow(
      /^invalid drift options: bins: [^;]*2[^;]*; level: [^;]*0/,
    );
    expect(() => stabilityAgainst([], [], [], { bins: 1 })).toThrow(
      expect.objectContaining({ code: 'DRIFT_OPTIONS_INVALID' }) as Error,
    );
  });
});
