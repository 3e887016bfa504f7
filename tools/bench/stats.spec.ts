import { maxAbsDiff, percentile, steadyRate, summarizeLatencies } from './stats';

describe('bench statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const ms = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(ms, 50)).toBe(50);
    expect(percentile(ms, 95)).toBe(95);
    expect(percentile(ms, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(summarizeLatencies([3, 1, 2])).toEqual({ count: 3, p50: 2, p95: 3, p99: 3, max: 3 });
  });

  it('measures the steady rate after the warm-up share', () => {
    // A slow start (items at 0, 2.5 and 5 s) then one item every 100 ms: 10 per second.
    const times = [0, 2500, 5000, ...Array.from({ length: 20 }, (_, i) => 5100 + i * 100)];
    expect(steadyRate(times, 0.1)).toBeCloseTo(10, 5);
    expect(steadyRate(times, 0)).toBeLessThan(5);
  });

  it('finds the largest difference and refuses lists of different lengths', () => {
    expect(maxAbsDiff([0.1, 0.5, 0.9], [0.1, 0.45, 0.92])).toBeCloseTo(0.05, 10);
    expect(() => maxAbsDiff([1], [1, 2])).toThrow('lengths differ');
  });
});
