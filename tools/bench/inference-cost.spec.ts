import { histogramDelta, imagesByBatchSize, inferenceCpuMs, parseHistogram } from './inference-cost';

// As prom-client prints a histogram (cumulative buckets).
const scrape = (counts: number[], sum: number) =>
  [
    '# HELP clipguard_encoder_batch_size images per vision-encoder run',
    '# TYPE clipguard_encoder_batch_size histogram',
    ...[1, 2, 4, 8].map((le, i) => `clipguard_encoder_batch_size_bucket{le="${le}"} ${counts[i]}`),
    `clipguard_encoder_batch_size_bucket{le="+Inf"} ${counts[3]}`,
    `clipguard_encoder_batch_size_sum ${sum}`,
    `clipguard_encoder_batch_size_count ${counts[3]}`,
    'clipguard_encoder_batch_seconds_sum 12.5',
  ].join('\n');

describe('inference CPU from the encoder batch histogram', () => {
  const before = parseHistogram(scrape([2, 2, 2, 2], 2), 'clipguard_encoder_batch_size');
  // Since then: 10 single-image batches, 5 of two, 20 of three or four (70 images there), 0 larger.
  const after = parseHistogram(scrape([12, 17, 37, 37], 2 + 10 + 10 + 70), 'clipguard_encoder_batch_size');

  it('parses the cumulative buckets and takes the difference of two scrapes', () => {
    expect(before.buckets.map((b) => b.le)).toEqual([1, 2, 4, 8, Infinity]);
    const d = histogramDelta(before, after);
    expect(d.buckets.map((b) => b.count)).toEqual([10, 15, 35, 35, 35]);
    expect([d.sum, d.count]).toEqual([90, 35]);
    expect(() => parseHistogram('nothing', 'clipguard_encoder_batch_size')).toThrow('no histogram');
  });

  it('spreads the exact image count over the batch sizes, capped at the largest batch', () => {
    const rows = imagesByBatchSize(histogramDelta(before, after), 4);
    // Approximate images 10 + 10 + 80 = 100, scaled to the exact 90.
    expect(rows.map((r) => r.batch)).toEqual([1, 2, 4]);
    expect(rows.map((r) => r.images)).toEqual([9, 9, 72]);
    const cost = new Map([
      [1, 120],
      [2, 100],
      [4, 80],
    ]);
    expect(inferenceCpuMs(rows, cost)).toBe(9 * 120 + 9 * 100 + 72 * 80);
    expect(() => inferenceCpuMs(rows, new Map([[1, 1]]))).toThrow('no limit measurement at batch 2');
  });
});
