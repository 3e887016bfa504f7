import { katzRatio, newcombeDifference, wilson } from './intervals';
import { bonferroniZ, zFor } from './normal';

const Z95 = zFor(0.95);

describe('normal quantiles', () => {
  it('gives the textbook z values (scipy.stats.norm.ppf)', () => {
    expect(Z95).toBeCloseTo(1.959964, 6);
    expect(zFor(0.99)).toBeCloseTo(2.575829, 6);
    // 0.05 spread over 100 two-sided comparisons: Φ⁻¹(1 − 0.00025)
    expect(bonferroniZ(0.05, 100)).toBeCloseTo(3.480756, 5);
    expect(bonferroniZ(0.05, 0)).toBeCloseTo(1.959964, 6);
  });
});

describe('Wilson score interval', () => {
  // Newcombe RG (1998) Two-sided confidence intervals for the single proportion: comparison of seven
  // methods. Stat Med 17:857–872, Table I, method 3 (score interval without continuity correction);
  // the same values come out of statsmodels 0.15 proportion_confint(method="wilson").
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
    [29, 29, 0.883, 1],
  ])('%i/%i → [%f, %f] as in Newcombe (1998) Table I', (count, n, low, high) => {
    const r = wilson({ count, n }, Z95);
    expect(r.value).toBeCloseTo(count / n, 12);
    expect(r.low).toBeCloseTo(low, 4);
    expect(r.high).toBeCloseTo(high, 4);
  });

  it('is [0, 1] with no observations', () => {
    const r = wilson({ count: 0, n: 0 }, Z95);
    expect(r.value).toBeNaN();
    expect([r.low, r.high]).toEqual([0, 1]);
  });

  it('narrows as n grows at the same rate', () => {
    const small = wilson({ count: 5, n: 50 }, Z95);
    const large = wilson({ count: 500, n: 5000 }, Z95);
    expect(large.high - large.low).toBeLessThan((small.high - small.low) / 5);
  });
});

describe("Newcombe's hybrid score interval for a difference of proportions", () => {
  // Newcombe RG (1998) Interval estimation for the difference between independent proportions:
  // comparison of eleven methods. Stat Med 17:873–890, Table II, method 10; statsmodels 0.15
  // confint_proportions_2indep(method="newcomb", compare="diff") gives the same.
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [0, 10, 0, 10, -0.2775, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
    [10, 10, 0, 10, 0.6075, 1],
  ])('%i/%i − %i/%i → [%f, %f] as in Newcombe (1998) Table II', (x1, n1, x2, n2, low, high) => {
    const d = newcombeDifference({ count: x1, n: n1 }, { count: x2, n: n2 }, Z95);
    expect(d.value).toBeCloseTo(x1 / n1 - x2 / n2, 12);
    expect(d.low).toBeCloseTo(low, 4);
    expect(d.high).toBeCloseTo(high, 4);
  });
});

describe("Katz's log interval for a ratio of proportions", () => {
  it('matches the hand-computed interval', () => {
    // (56/70) / (48/80) = 4/3; se = √(1/56 − 1/70 + 1/48 − 1/80) = 0.109109;
    // 4/3 · e^(±1.959964 · 0.109109) = [1.076626, 1.651249]
    const r = katzRatio({ count: 56, n: 70 }, { count: 48, n: 80 }, Z95);
    expect(r.value).toBeCloseTo(4 / 3, 12);
    expect(r.low).toBeCloseTo(1.076626, 5);
    expect(r.high).toBeCloseTo(1.651249, 5);
  });

  // statsmodels 0.15 confint_proportions_2indep(compare="ratio", method="log"; "log-adjusted" with a zero)
  it.each([
    [56, 70, 48, 80, 0.95, 1.0766, 1.6512],
    [3, 40, 12, 50, 0.95, 0.0946, 1.0322],
    [30, 1000, 60, 1000, 0.95, 0.3254, 0.7682],
    [3, 40, 12, 50, 0.99, 0.065, 1.5026],
  ])('%i/%i ÷ %i/%i at %f → [%f, %f] as statsmodels computes', (x1, n1, x2, n2, level, low, high) => {
    const r = katzRatio({ count: x1, n: n1 }, { count: x2, n: n2 }, zFor(level));
    expect(r.low).toBeCloseTo(low, 4);
    expect(r.high).toBeCloseTo(high, 4);
  });

  it('adds 0.5 to counts and sizes when a count is 0 (statsmodels "log-adjusted")', () => {
    const r = katzRatio({ count: 0, n: 30 }, { count: 5, n: 30 }, Z95);
    expect(r.value).toBe(0);
    expect(r.low).toBeCloseTo(0.005252, 5);
    expect(r.high).toBeCloseTo(1.573538, 5);
  });

  it('divides by a zero rate to an infinite ratio, with the finite interval mirroring its reverse', () => {
    // Haldane's correction is symmetric: the interval of 5/30 ÷ 0/30 is the reciprocal of 0/30 ÷ 5/30's
    // [0.005252, 1.573538] above.
    const r = katzRatio({ count: 5, n: 30 }, { count: 0, n: 30 }, Z95);
    expect(r.value).toBe(Infinity);
    expect(r.low).toBeCloseTo(1 / 1.573538, 5);
    expect(r.high).toBeCloseTo(1 / 0.005252, 0);
  });

  it('calls two zero rates parity', () => {
    const r = katzRatio({ count: 0, n: 40 }, { count: 0, n: 50 }, Z95);
    expect(r.value).toBe(1);
    expect(r.low).toBeCloseTo(0.025289, 5);
    expect(r.high).toBeCloseTo(61.481544, 4);
  });
});
