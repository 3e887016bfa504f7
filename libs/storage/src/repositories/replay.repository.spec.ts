import type { StoredSubmission } from '@clipguard/audit';
import { createTestDatabase, seedDecision, type TestDatabase } from '@clipguard/testing';
import { ReplayRepository } from './replay.repository';

const MODEL = 'tiny-clip/fp32@aaaa';
const V1 = { id: 'shapes-audit', version: 1, hash: 'h1' };
const V2 = { id: 'shapes-audit', version: 2, hash: 'h2' };
let t: TestDatabase;
let repo: ReplayRepository;
const ids: Record<string, string> = {};

const floats = (b: Uint8Array) => [...new Float32Array(new Uint8Array(b).buffer)];

beforeAll(async () => {
  t = await createTestDatabase();
  repo = new ReplayRepository(t.db);
  ids.two = await seedDecision(t.db, {
    at: '2026-03-01T00:00:00Z',
    modelId: MODEL,
    policy: V1,
    verdict: 'review',
    reasons: [{ category: 'star', verdict: 'review' }],
    frames: [Float32Array.from([0.6, 0.8]), Float32Array.from([1, 0])],
    shadow: { policy: V2, verdict: 'block' },
    review: { trigger: 'verdict', resolve: 'block', labels: ['star'] },
  });
  ids.v2live = await seedDecision(t.db, {
    at: '2026-03-02T00:00:00Z',
    modelId: MODEL,
    policy: V2,
    verdict: 'allow',
    frames: [Float32Array.from([0, 1])],
  });
  ids.otherModel = await seedDecision(t.db, {
    at: '2026-03-03T00:00:00Z',
    modelId: 'clip-vit-base-patch32/fp32@bbbb',
    policy: V1,
    verdict: 'allow',
  });
  ids.otherTenant = await seedDecision(t.db, {
    at: '2026-03-04T00:00:00Z',
    tenant: 'other',
    modelId: MODEL,
    policy: V1,
    verdict: 'block',
  });
  ids.gone = await seedDecision(t.db, {
    at: '2026-03-05T00:00:00Z',
    modelId: MODEL,
    policy: V1,
    verdict: 'allow',
  });
  // an embedding that is no longer stored (for example removed by retention)
  const sha = await t.db
    .selectFrom('submissions')
    .select('content_sha256')
    .where('id', '=', ids.gone)
    .executeTakeFirstOrThrow();
  await t.db
    .deleteFrom('embeddings')
    .where('content_sha256', '=', sha.content_sha256 as string)
    .execute();
}, 60_000);
afterAll(() => t.drop());

async function all(w: Parameters<ReplayRepository['submissions']>[0], pageSize?: number) {
  const out: StoredSubmission[] = [];
  for await (const page of repo.submissions(w, pageSize)) out.push(...page);
  return out;
}

describe('ReplayRepository (PostgreSQL)', () => {
  it("streams the policy's live decisions with their stored embeddings, whatever version decided them", async () => {
    const rows = await all({ policyId: 'shapes-audit', modelId: MODEL }, 1);
    expect(rows.map((r) => r.submissionId)).toEqual([ids.two, ids.v2live, ids.otherTenant]);
    const [two, v2live] = rows;
    expect(two).toMatchObject({
      frames: 2,
      previousVerdict: 'review',
      decidedAt: new Date('2026-03-01T00:00:00Z'),
    });
    expect(floats(two.vectors)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6), 1, 0]);
    expect(two.label).toEqual({ verdict: 'block', categories: ['star'], source: 'review' });
    expect(v2live).toMatchObject({ previousVerdict: 'allow', frames: 1 });
    expect(v2live.label).toBeUndefined();
  });

  it('keeps to the tenant and the window', async () => {
    const acme = await all({
      policyId: 'shapes-audit',
      modelId: MODEL,
      tenant: 'acme',
      since: new Date('2026-03-02T00:00:00Z'),
    });
    expect(acme.map((r) => r.submissionId)).toEqual([ids.v2live]);
  });

  it('counts what it cannot replay: another model, no stored embedding', async () => {
    expect(await repo.coverage({ policyId: 'shapes-audit', modelId: MODEL })).toEqual({
      decisions: 5,
      otherModel: 1,
      withoutEmbedding: 1,
    });
    expect(await repo.coverage({ policyId: 'shapes-audit', modelId: MODEL, tenant: 'other' })).toEqual({
      decisions: 1,
      otherModel: 0,
      withoutEmbedding: 0,
    });
  });
});
