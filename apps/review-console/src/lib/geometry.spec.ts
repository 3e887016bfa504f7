import { axisMax, bandOf, intervalSegment, scaleX } from './geometry';

describe('chart geometry', () => {
  it('places values linearly on the bar and clamps those outside the range to its ends', () => {
    expect(scaleX(0.5, 200)).toBe(100);
    expect(scaleX(0.25, 200)).toBe(50);
    expect(scaleX(0.8, 300, 0, 1.2)).toBeCloseTo(200);
    expect(scaleX(-0.1, 200)).toBe(0);
    expect(scaleX(1.7, 200)).toBe(200);
    expect(scaleX(0.5, 200, 1, 1)).toBe(0);
  });

  it('puts a score in the band of the highest threshold it reaches', () => {
    const t = { review: 0.4, block: 0.95 };
    expect([0.1, 0.4, 0.94, 0.95, 1].map((s) => bandOf(s, t))).toEqual([
      'allow',
      'review',
      'review',
      'block',
      'block',
    ]);
  });

  it('draws an open interval end to the edge of the chart', () => {
    expect(intervalSegment(0.2, 0.6, 100)).toEqual([20, 60]);
    expect(intervalSegment(null, 0.5, 100)).toEqual([0, 50]);
    expect(intervalSegment(0.5, null, 120, 0, 1.2)).toEqual([50, 120]);
  });

  it('rounds an axis up to a fifth and never below its minimum', () => {
    expect(axisMax([0.3, 0.9], 1.2)).toBeCloseTo(1.2);
    expect(axisMax([1.31, null], 1.2)).toBeCloseTo(1.4);
  });
});
