import { createTestDatabase, type TestDatabase } from '@clipguard/testing';
import { AuditRepository } from './audit.repository';
import { FairnessAuditRepository } from './fairness-audit.repository';

let t: TestDatabase;
let repo: FairnessAuditRepository;

beforeAll(async () => {
  t = await createTestDatabase();
  repo = new FairnessAuditRepository(t.db);
}, 60_000);
afterAll(() => t.drop());

describe('FairnessAuditRepository (PostgreSQL)', () => {
  const ref = 'fairness:acme:shapes-audit@v1';

  it('appends one entry per schedule slot, however many instances try', async () => {
    const entry = { kind: 'fairness' as const, ref, body: { alerts: 0 } };
    const first = await Promise.all(
      [1, 2, 3].map(() => repo.appendForSlot(entry, '2026-03-01T01:00:00.000Z')),
    );
    expect(first.filter(Boolean)).toHaveLength(1);
    expect(await repo.appendForSlot(entry, '2026-03-01T00:00:00.000Z')).toBe(false);
    expect(await repo.appendForSlot({ ...entry, body: { alerts: 2 } }, '2026-03-01T02:00:00.000Z')).toBe(
      true,
    );
    const [latest] = await repo.latest('fairness', [ref, 'fairness:acme:shapes-audit@v9']);
    expect(latest).toMatchObject({ ref, body: { alerts: 2, slot: '2026-03-01T02:00:00.000Z' } });
  });

  it('appends a baseline once per ref and finds the newest by prefix', async () => {
    const base = (v: number) => ({
      kind: 'fairness_baseline' as const,
      ref: `baseline:shapes-audit@v${v}:h${v}`,
      body: { v },
    });
    expect(await repo.appendOnce(base(1))).toBe(true);
    expect(await repo.appendOnce(base(1))).toBe(false);
    expect(await repo.appendOnce(base(2))).toBe(true);
    // "_" is a LIKE wildcard: the prefix is matched literally
    expect(await repo.withRefPrefix('fairness_baseline', 'baseline:shapes_audit@')).toEqual([]);
    const found = await repo.withRefPrefix('fairness_baseline', 'baseline:shapes-audit@');
    expect(found.map((e) => e.body.v)).toEqual([2, 1]);
  });

  it('keeps the hash chain verifiable', async () => {
    expect(await new AuditRepository(t.db).verify()).toMatchObject({ ok: true, entries: 4 });
  });
});
