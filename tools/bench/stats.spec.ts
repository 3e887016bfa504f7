import { maxAbsDiff, median, pairRatios, percentile, steadyRate, summarizeLatencies } from './stats';

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

  it('leaves out the whole burst that opens the span (a batch finishes its images together)', () => {
    // Batches of four every 400 ms, after a 5 s start: 10 images per second.
    const bursts = [
      0,
      ...Array.from({ length: 40 }, (_, i) => 5000 + Math.floor(i / 4) * 400 + (i % 4) * 0.1),
    ];
    // The span opens at the second image of the first counted batch (skip 5 %: index 2).
    expect(steadyRate(bursts, 0.05)).toBeCloseTo(10, 2);
  });

  it('finds the largest difference and refuses lists of different lengths', () => {
    expect(maxAbsDiff([0.1, 0.5, 0.9], [0.1, 0.45, 0.92])).toBeCloseTo(0.05, 10);
    expect(() => maxAbsDiff([1], [1, 2])).toThrow('lengths differ');
  });

  it('divides window pairs one by one and reports their median and range', () => {
    // The machine slows down between windows: dividing by one early limit (20) would give 0.9, 0.8, 0.7.
    const r = pairRatios([18, 16, 14], [20, 17, 15]);
    expect(r.ratios.map((x) => x.toFixed(3))).toEqual(['0.900', '0.941', '0.933']);
    expect(r.median).toBeCloseTo(0.933, 3);
    expect([r.min, r.max]).toEqual([0.9, 16 / 17]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => pairRatios([1, 2], [1])).toThrow('as many stage as limit windows');
  });
});
