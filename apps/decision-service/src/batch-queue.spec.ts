import { BatchQueue, type Settled } from './batch-queue';

/** A writer that records its batches and settles each item as `outcome` says, when released. */
function writer(outcome: (item: string) => Settled = () => ({ ok: true })) {
  const batches: string[][] = [];
  const releases: (() => void)[] = [];
  const write = (items: string[]) => {
    batches.push(items);
    return new Promise<Settled[]>((resolve) => releases.push(() => resolve(items.map(outcome))));
  };
  return { batches, releases, write };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('BatchQueue', () => {
  it('hands items that arrive together to one write', async () => {
    const w = writer();
    const q = new BatchQueue(w.write, { maxBatch: 8, maxWaitMs: 1 });

    const done = Promise.all(['a', 'b', 'c'].map((x) => q.submit(x)));
    await new Promise((r) => setTimeout(r, 5));
    w.releases.forEach((r) => r());
    await done;

    expect(w.batches).toEqual([['a', 'b', 'c']]);
  });

  it('writes a full batch at once and one batch at a time; what arrives meanwhile is the next batch', async () => {
    const w = writer();
    const q = new BatchQueue(w.write, { maxBatch: 2, maxWaitMs: 60_000 });

    const all = ['a', 'b', 'c', 'd', 'e'].map((x) => q.submit(x));
    await tick();
    expect(w.batches).toEqual([['a', 'b']]);
    w.releases[0]();
    await tick();
    expect(w.batches).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    w.releases[1]();
    await tick();
    w.releases[2]();
    await Promise.all(all);

    expect(w.batches).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it("settles each item with its own outcome, and every item with the batch's error", async () => {
    const failing = writer((x) => (x === 'bad' ? { ok: false, error: new Error('bad item') } : { ok: true }));
    const q = new BatchQueue(failing.write, { maxBatch: 2, maxWaitMs: 60_000 });
    const own = Promise.allSettled([q.submit('good'), q.submit('bad')]);
    await tick();
    failing.releases[0]();
    expect((await own).map((r) => r.status)).toEqual(['fulfilled', 'rejected']);

    const broken = new BatchQueue(() => Promise.reject(new Error('connection lost')), {
      maxBatch: 2,
      maxWaitMs: 60_000,
    });
    const all = await Promise.allSettled([broken.submit('a'), broken.submit('b')]);
    expect(all.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
