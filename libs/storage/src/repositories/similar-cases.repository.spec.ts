import { createTestDatabase, seedDecision, type TestDatabase } from '@clipguard/testing';
import { SimilarCasesRepository } from './similar-cases.repository';

const POLICY = { id: 'shapes', version: 1, hash: 'h1' };
const MODEL = 'tiny-clip/fp32@test';
const v = (...xs: number[]) => Float32Array.from(xs);

describe('SimilarCasesRepository (PostgreSQL)', () => {
  let t: TestDatabase;
  let cases: SimilarCasesRepository;
  const seeded: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestDatabase();
    cases = new SimilarCasesRepository(t.db);
    const seed = (name: string, extra: Parameters<typeof seedDecision>[1]) =>
      seedDecision(t.db, extra).then((id) => (seeded[name] = id));
    await seed('old-block', {
      at: '2026-01-01T00:00:00Z',
      policy: POLICY,
      verdict: 'review',
      review: { trigger: 'verdict', resolve: 'block', labels: ['red'] },
      frames: [v(1, 0), v(0, 1)],
    });
    await seed('new-allow', {
      at: '2026-01-02T00:00:00Z',
      policy: POLICY,
      verdict: 'review',
      review: { trigger: 'verdict', resolve: 'allow' },
      frames: [v(0.6, 0.8)],
    });
    await seed('qa-sample', {
      at: '2026-01-03T00:00:00Z',
      policy: POLICY,
      verdict: 'allow',
      review: { trigger: 'sample:allow', resolve: 'allow' },
    });
    await seed('pending', {
      at: '2026-01-04T00:00:00Z',
      policy: POLICY,
      verdict: 'review',
      review: { trigger: 'verdict' },
    });
    await seed('other-tenant', {
      at: '2026-01-05T00:00:00Z',
      tenant: 'globex',
      policy: POLICY,
      verdict: 'review',
      review: { trigger: 'verdict', resolve: 'block' },
    });
    await seed('other-model', {
      at: '2026-01-06T00:00:00Z',
      modelId: 'big-clip',
      policy: POLICY,
      verdict: 'review',
      review: { trigger: 'verdict', resolve: 'block' },
    });
  });
  afterAll(() => t.drop());

  it('gives the tenant’s human decisions under one model, with the first frame, in the queues asked for', async () => {
    const all = await cases.humanDecided('acme', MODEL, 10);
    expect(all.map((c) => c.submissionId).sort()).toEqual(
      [seeded['old-block'], seeded['new-allow'], seeded['qa-sample']].sort(),
    );
    const review = await cases.humanDecided('acme', MODEL, 10, undefined, ['review']);
    expect(review.map((c) => c.submissionId).sort()).toEqual(
      [seeded['old-block'], seeded['new-allow']].sort(),
    );
    const block = review.find((c) => c.submissionId === seeded['old-block']);
    expect(block).toMatchObject({ verdict: 'block', labels: ['red'], resolvedBy: 'seed' });
    expect(Array.from(block?.embedding ?? [])).toEqual([1, 0]);
    expect(await cases.humanDecided('acme', MODEL, 10, undefined, [])).toEqual([]);
  });

  it('leaves out the item itself and keeps the newest within the limit', async () => {
    const without = await cases.humanDecided('acme', MODEL, 10, seeded['new-allow'], ['review']);
    expect(without.map((c) => c.submissionId)).toEqual([seeded['old-block']]);
    // Resolved in the order seeded: the QA sample last.
    expect((await cases.humanDecided('acme', MODEL, 1)).map((c) => c.submissionId)).toEqual([
      seeded['qa-sample'],
    ]);
  });

  it('reads a submission’s own first-frame embedding under a model', async () => {
    expect(Array.from((await cases.embeddingOf(seeded['old-block'], MODEL)) ?? [])).toEqual([1, 0]);
    expect(await cases.embeddingOf(seeded['old-block'], 'big-clip')).toBeUndefined();
  });
});
