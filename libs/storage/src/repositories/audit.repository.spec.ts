import { sql } from 'kysely';
import { GENESIS_HASH, chainHash } from '@clipguard/audit';
import { createTestDatabase, type TestDatabase } from '@clipguard/testing';
import { AuditRepository } from './audit.repository';

/** Each test gets a fresh chain: the tables are emptied and the sequence restarts at 1. */
describe('AuditRepository (PostgreSQL)', () => {
  let t: TestDatabase;
  let audit: AuditRepository;

  beforeAll(async () => {
    t = await createTestDatabase();
    audit = new AuditRepository(t.db);
  });
  afterAll(() => t.drop());
  beforeEach(() => sql`truncate audit_log restart identity`.execute(t.db));

  const appendMany = async (n: number) => {
    const hashes = [];
    for (let i = 1; i <= n; i++)
      hashes.push(
        await audit.append({ kind: 'decision', ref: `sub-${i}`, body: { n: i, verdict: 'allow' } }),
      );
    return hashes;
  };

  it('links every entry to its predecessor from the genesis hash', async () => {
    const entry = { kind: 'decision' as const, ref: 'sub-1', body: { n: 1, verdict: 'allow' } };

    const hash = await audit.append(entry);

    expect(hash).toBe(chainHash(GENESIS_HASH, entry));
    const rows = await t.db.selectFrom('audit_log').select(['prev_hash', 'hash']).execute();
    expect(rows).toEqual([{ prev_hash: GENESIS_HASH, hash }]);
  });

  it('keeps one chain under concurrent appends', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => audit.append({ kind: 'review', ref: `r-${i}`, body: { i } })),
    );

    expect(await audit.verify(3)).toEqual({ ok: true, entries: 10 });
  });

  it('verifies a chain across several pages', async () => {
    await appendMany(7);

    expect(await audit.verify(2)).toEqual({ ok: true, entries: 7 });
    expect(await audit.verify(1000)).toEqual({ ok: true, entries: 7 });
  });

  it('verifies an empty chain', async () => {
    expect(await audit.verify(2)).toEqual({ ok: true, entries: 0 });
  });

  it('reports an entry whose body was changed, naming it', async () => {
    await appendMany(7);
    await t.db
      .updateTable('audit_log')
      .set({ body: JSON.stringify({ n: 4, verdict: 'block' }) })
      .where('seq', '=', '4')
      .execute();

    const check = await audit.verify(2);

    expect(check.ok).toBe(false);
    expect(check.broken).toEqual({ seq: '4', reason: 'content does not match its hash' });
  });

  it('reports a deleted middle entry at the entry after it, across a page boundary', async () => {
    await appendMany(7);
    // With pages of two, entry 3 opens the second page: the link between pages must be checked too.
    await t.db.deleteFrom('audit_log').where('seq', '=', '3').execute();

    const check = await audit.verify(2);

    expect(check.ok).toBe(false);
    expect(check.broken).toEqual({ seq: '4', reason: 'predecessor hash does not match' });
  });

  it('gives the head and the hash stored for an entry', async () => {
    expect(await audit.head()).toBeUndefined();
    const hashes = await appendMany(3);

    expect(await audit.head()).toEqual({ seq: '3', hash: hashes[2] });
    expect(await audit.entryHash('2')).toBe(hashes[1]);
    expect(await audit.entryHash('99')).toBeUndefined();
  });

  it('records each policy version and hash as activated once, however often it is loaded', async () => {
    const v1 = { id: 'shapes', version: 1, hash: 'h1', source: 'policies' };
    const v2 = { id: 'shapes', version: 2, hash: 'h2', source: 'policies' };

    await Promise.all([audit.recordPolicyActivations([v1]), audit.recordPolicyActivations([v1, v2])]);
    await audit.recordPolicyActivations([v1, v2]);

    const rows = await t.db.selectFrom('audit_log').select(['kind', 'ref']).orderBy('seq').execute();
    expect(rows.map((r) => r.ref).sort()).toEqual(['policy:shapes@v1:h1', 'policy:shapes@v2:h2']);
    expect(rows.every((r) => r.kind === 'policy_activation')).toBe(true);
    expect(await audit.verify()).toMatchObject({ ok: true, entries: 2 });
  });

  it('records a changed hash of the same version as another activation', async () => {
    await audit.recordPolicyActivations([{ id: 'shapes', version: 1, hash: 'h1', source: 'policies' }]);
    await audit.recordPolicyActivations([{ id: 'shapes', version: 1, hash: 'h1b', source: 'policies' }]);

    expect(await audit.verify()).toMatchObject({ ok: true, entries: 2 });
  });
});
