import type { AuditedDecision } from '@clipguard/audit';
import { createTestDatabase, seedDecision, type TestDatabase } from '@clipguard/testing';
import { AuditRepository } from './audit.repository';
import { FairnessRepository } from './fairness.repository';

const V1 = { id: 'shapes-audit', version: 1, hash: 'h1' };
const V2 = { id: 'shapes-audit', version: 2, hash: 'h2' };
const size = (value: string, margin?: number) => ({
  size: { value, confidence: 0.7, ...(margin === undefined ? {} : { margin }) },
});

let t: TestDatabase;
let repo: FairnessRepository;
const ids: Record<string, string> = {};

async function drain(pages: AsyncGenerator<AuditedDecision[]>): Promise<AuditedDecision[][]> {
  const out: AuditedDecision[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

beforeAll(async () => {
  t = await createTestDatabase();
  repo = new FairnessRepository(t.db);
  // Two decisions within one millisecond: a cursor kept as a JS Date would repeat or skip one of them.
  ids.a = await seedDecision(t.db, {
    at: '2026-03-01T10:00:00.000100Z',
    policy: V1,
    verdict: 'block',
    scores: { red: 0.9, star: 0.1 },
    reasons: [{ category: 'red', verdict: 'block' }],
    attributes: size('small', 0.4),
    shadow: { policy: V2, verdict: 'allow', scores: { red: 0.2 }, attributes: size('large', 0.05) },
    review: { trigger: 'verdict', resolve: 'block', labels: ['red'] },
  });
  ids.b = await seedDecision(t.db, {
    at: '2026-03-01T10:00:00.000900Z',
    policy: V1,
    verdict: 'review',
    scores: { red: 0.4, star: 0.6 },
    reasons: [{ category: 'star', verdict: 'review' }],
    attributes: size('large'),
    review: { trigger: 'verdict', resolve: 'block' },
  });
  ids.c = await seedDecision(t.db, {
    at: '2026-03-02T00:00:00Z',
    policy: V1,
    verdict: 'allow',
    scores: { red: 0.1 },
    attributes: size('small', 0.6),
    review: { trigger: 'sample:allow', resolve: 'allow' },
  });
  ids.d = await seedDecision(t.db, {
    at: '2026-03-03T00:00:00Z',
    tenant: 'other',
    policy: V1,
    verdict: 'allow',
    attributes: size('large', 0.3),
    review: { trigger: 'sample:allow' },
  });
  ids.e = await seedDecision(t.db, { at: '2026-03-04T00:00:00Z', policy: V2, verdict: 'allow' });
}, 60_000);
afterAll(() => t.drop());

describe('FairnessRepository (PostgreSQL)', () => {
  it("pages one version's decisions in time order, each once, across equal milliseconds", async () => {
    const pages = await drain(repo.decisions({ policy: V1 }, { pageSize: 1 }));
    expect(pages.map((p) => p.length)).toEqual([1, 1, 1, 1]);
    expect(pages.flat().map((d) => d.submissionId)).toEqual([ids.a, ids.b, ids.c, ids.d]);
  });

  it('reads scores and reasons from the decision, probes with their margin from its own audit entry', async () => {
    const [a, b] = (await drain(repo.decisions({ policy: V1 }))).flat();
    expect(a).toMatchObject({
      verdict: 'block',
      categoryScores: { red: 0.9, star: 0.1 },
      reasons: [{ category: 'red', verdict: 'block' }],
      attributes: { size: { value: 'small', confidence: 0.7, margin: 0.4 } },
      decidedAt: new Date('2026-03-01T10:00:00.000Z'),
    });
    // recorded without a margin (before probes kept one): no margin, not a made-up one
    expect(b.attributes.size).toEqual({ value: 'large', confidence: 0.7 });
    // the shadow version's decision of the same submission carries the shadow entry's probe
    const [shadow] = (await drain(repo.decisions({ policy: V2 }))).flat();
    expect(shadow).toMatchObject({ submissionId: ids.a, verdict: 'allow', attributes: size('large', 0.05) });
  });

  it("joins the human label of the submission's review: labels, inferred categories, QA source", async () => {
    const byId = new Map(
      (await drain(repo.decisions({ policy: V1 }))).flat().map((d) => [d.submissionId, d]),
    );
    expect(byId.get(ids.a)?.label).toEqual({ verdict: 'block', categories: ['red'], source: 'review' });
    // resolved by the API-key endpoint without labels: the flagged categories it confirmed
    expect(byId.get(ids.b)?.label).toEqual({ verdict: 'block', categories: ['star'], source: 'review' });
    expect(byId.get(ids.c)?.label).toEqual({ verdict: 'allow', categories: [], source: 'qa' });
    // a pending QA item is no label yet
    expect(byId.get(ids.d)?.label).toBeUndefined();
    const labelled = (await drain(repo.decisions({ policy: V1 }, { labelledOnly: true }))).flat();
    expect(labelled.map((d) => d.submissionId)).toEqual([ids.a, ids.b, ids.c]);
  });

  it('keeps to the time window (since inclusive, until exclusive) and the tenant', async () => {
    const window = {
      policy: V1,
      since: new Date('2026-03-01T10:00:00.000Z'),
      until: new Date('2026-03-02T00:00:00Z'),
    };
    const inWindow = (await drain(repo.decisions(window))).flat().map((d) => d.submissionId);
    expect(inWindow).toEqual([ids.a, ids.b]);
    const other = (await drain(repo.decisions({ policy: V1, tenant: 'other' }))).flat();
    expect(other.map((d) => d.submissionId)).toEqual([ids.d]);
  });

  it("finds a tenant's first decision by a version (the drift baseline's start)", async () => {
    expect(await repo.firstDecisionAt(V1, 'acme')).toEqual(new Date('2026-03-01T10:00:00.000Z'));
    expect(await repo.firstDecisionAt(V2, 'other')).toBeUndefined();
  });

  it('reads the chain it joins without changing it', async () => {
    expect((await new AuditRepository(t.db).verify()).ok).toBe(true);
  });
});
