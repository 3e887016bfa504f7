import { alternate } from './paired';

describe('alternating limit and stage windows', () => {
  it('runs a limit window right before every stage window and divides each pair', async () => {
    const order: string[] = [];
    let limit = 22;
    const run = await alternate({
      windows: 3,
      limit: () => {
        order.push('limit');
        limit -= 2; // the machine slows down: 20, 18, 16
        return Promise.resolve({ imagesPerSecond: limit, cpuMsPerImage: 100 + limit });
      },
      stage: (i) => {
        order.push(`stage ${i}`);
        return Promise.resolve(limit * 0.9);
      },
    });
    expect(order).toEqual(['limit', 'stage 0', 'limit', 'stage 1', 'limit', 'stage 2']);
    expect(run.limit).toEqual([20, 18, 16]);
    expect(run.limitCpuMsPerImage).toEqual([120, 118, 116]);
    expect(run.ratio.ratios.map((r) => r.toFixed(2))).toEqual(['0.90', '0.90', '0.90']);
  });
});
