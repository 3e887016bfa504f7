import { MicroBatcher } from './micro-batcher';

function recordingRunner(delayMs = 5) {
  const batches: number[][] = [];
  const run = async (items: number[]) => {
    batches.push(items);
    await new Promise((r) => setTimeout(r, delayMs));
    return items.map((x) => x * 10);
  };
  return { batches, run };
}

describe('MicroBatcher', () => {
  it('coalesces concurrent calls into one run and returns each caller its own rows', async () => {
    const { batches, run } = recordingRunner();
    const b = new MicroBatcher(run, { maxBatch: 16, maxWaitMs: 20 });
    const results = await Promise.all([b.submit([1, 2]), b.submit([3]), b.submit([4, 5, 6])]);
    expect(results).toEqual([[10, 20], [30], [40, 50, 60]]);
    expect(batches).toEqual([[1, 2, 3, 4, 5, 6]]);
  });

  it('never exceeds maxBatch and splits a large request across runs', async () => {
    const { batches, run } = recordingRunner();
    const b = new MicroBatcher(run, { maxBatch: 4, maxWaitMs: 1 });
    const out = await b.submit([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(out).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(batches.map((x) => x.length)).toEqual([4, 4, 2]);
  });

  it('runs one batch at a time and batches what arrives meanwhile', async () => {
    const { batches, run } = recordingRunner(20);
    const b = new MicroBatcher(run, { maxBatch: 8, maxWaitMs: 0 });
    const first = b.submit([1]);
    const rest = [b.submit([2]), b.submit([3]), b.submit([4])];
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('runs up to `concurrency` full batches side by side, never more', async () => {
    let active = 0;
    let peak = 0;
    const sizes: number[] = [];
    const run = async (items: number[]) => {
      sizes.push(items.length);
      peak = Math.max(peak, ++active);
      await new Promise((r) => setTimeout(r, 15));
      active--;
      return items;
    };
    const serial = new MicroBatcher(run, { maxBatch: 4, maxWaitMs: 50 });
    await serial.submit(Array.from({ length: 16 }, (_, i) => i));
    expect(peak).toBe(1);
    peak = 0;
    sizes.length = 0;
    const b = new MicroBatcher(run, { maxBatch: 4, maxWaitMs: 50, concurrency: 2 });
    const out = await b.submit(Array.from({ length: 16 }, (_, i) => i));
    expect(out).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(peak).toBe(2);
    expect(sizes).toEqual([4, 4, 4, 4]);
    await b.drain();
    expect(b.pendingRows).toBe(0);
  });

  it('after a run, waits for company until the oldest queued row has waited maxWaitMs', async () => {
    const { batches, run } = recordingRunner(10);
    const b = new MicroBatcher(run, { maxBatch: 8, maxWaitMs: 60 });
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const first = b.submit([1]); // runs alone at ~60 ms, until ~70 ms
    await sleep(65);
    const second = b.submit([2]); // queued during the run: only 5 ms old when the run ends
    await sleep(25);
    const third = b.submit([3]); // joins it before its 60 ms are up
    await Promise.all([first, second, third]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('rejects every caller of a failed batch and keeps serving others', async () => {
    let calls = 0;
    const b = new MicroBatcher<number, number>(
      (items) => (calls++ === 0 ? Promise.reject(new Error('boom')) : Promise.resolve(items)),
      { maxBatch: 2, maxWaitMs: 0 },
    );
    const failed = b.submit([1, 2, 3]);
    await expect(failed).rejects.toThrow('boom');
    await expect(b.submit([7])).resolves.toEqual([7]);
    await b.drain();
    expect(b.pendingRows).toBe(0);
  });

  it('reports batch sizes', async () => {
    const sizes: number[] = [];
    const { run } = recordingRunner();
    const b = new MicroBatcher(run, { maxBatch: 3, maxWaitMs: 5 }, (n) => sizes.push(n));
    await Promise.all([b.submit([1, 2]), b.submit([3, 4])]);
    expect(sizes).toEqual([3, 1]);
  });
});
