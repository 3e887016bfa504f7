import { randomUUID } from 'node:crypto';
import {
  BankIndexes,
  bankSchema,
  matchBanks,
  pdqFromHex,
  pdqToHex,
  unitVector,
  type BankEntry,
  type EntryValue,
} from '@clipguard/banks';
import { createTestDatabase, type TestDatabase } from '@clipguard/testing';
import { AuditRepository } from './audit.repository';
import { BankRepository } from './bank.repository';

const HEX = 'd8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22';
const SHA = 'c'.repeat(64);
const LEAD = { userId: null, name: 'lead@acme.test' };

const bank = (id: string, kind: 'sha256' | 'pdq' | 'embedding', extra: Record<string, unknown> = {}) =>
  bankSchema.parse({
    id,
    title: `bank ${id}`,
    tenants: ['acme'],
    kind,
    action: 'block',
    threshold: kind === 'pdq' ? 31 : kind === 'embedding' ? 0.9 : 0,
    ...(kind === 'embedding' && { modelId: 'model-a' }),
    ...extra,
  });
const entry = (bankId: string, value: EntryValue, id: string = randomUUID()): BankEntry => ({
  id,
  bankId,
  value,
  source: 'api',
  addedBy: LEAD.name,
  addedAt: new Date().toISOString(),
  note: 'seen before',
});

describe('BankRepository (PostgreSQL)', () => {
  let t: TestDatabase;
  let repo: BankRepository;
  let audit: AuditRepository;

  beforeAll(async () => {
    t = await createTestDatabase();
    repo = new BankRepository(t.db);
    audit = new AuditRepository(t.db);
  });
  afterAll(() => t.drop());

  it('stores each kind of entry and reads it back exactly, through entries() and the change log', async () => {
    await repo.saveBank(bank('rt-sha', 'sha256'), LEAD);
    await repo.saveBank(bank('rt-pdq', 'pdq'), LEAD);
    await repo.saveBank(bank('rt-emb', 'embedding'), LEAD);
    const vector = unitVector([3, 4, 0, 0]);
    const added = [
      entry('rt-sha', { kind: 'sha256', sha256: SHA }),
      entry('rt-pdq', { kind: 'pdq', hash: pdqFromHex(HEX), quality: 87 }),
      entry('rt-emb', { kind: 'embedding', vector, modelId: 'model-a' }),
    ];
    for (const e of added) await repo.addEntry(e, LEAD);

    const sha = [];
    for await (const e of repo.entries('rt-sha')) sha.push(e);
    expect(sha).toEqual([
      expect.objectContaining({ id: added[0].id, value: { kind: 'sha256', sha256: SHA } }),
    ]);
    const [pdq] = await repo.listEntries('rt-pdq');
    expect(pdq.value.kind === 'pdq' && pdqToHex(pdq.value.hash)).toBe(HEX);
    expect(pdq.value).toMatchObject({ quality: 87 });
    expect(pdq).toMatchObject({ source: 'api', addedBy: LEAD.name, note: 'seen before' });
    const [emb] = await repo.listEntries('rt-emb');
    expect(emb.value.kind === 'embedding' && Array.from(emb.value.vector)).toEqual(Array.from(vector));

    const changes = await repo.changesSince(0);
    expect(changes.map((c) => c.type)).toEqual([
      'bank-saved',
      'bank-saved',
      'bank-saved',
      'entry-added',
      'entry-added',
      'entry-added',
    ]);
    expect(changes.map((c) => c.revision)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await repo.currentRevision()).toBe(6);
    expect(await repo.changesSince(4, 1)).toHaveLength(1);
  });

  it('loads indexes that match, and follows adds and removals through changesSince', async () => {
    await repo.saveBank(bank('follow', 'pdq'), LEAD);
    const indexes = await BankIndexes.load(repo);
    const query = { tenant: 'acme', pdq: { hash: pdqFromHex(HEX), quality: 100 } };
    const e = entry('follow', { kind: 'pdq', hash: pdqFromHex(HEX), quality: 90 });
    expect(matchBanks(query, indexes.banks()).matches.filter((m) => m.bankId === 'follow')).toEqual([]);

    await repo.addEntry(e, LEAD);
    await indexes.catchUp(repo);
    expect(matchBanks(query, indexes.banks()).matches.filter((m) => m.bankId === 'follow')).toEqual([
      expect.objectContaining({ entryId: e.id, distance: 0 }),
    ]);

    await repo.removeEntry('follow', e.id, LEAD);
    await indexes.catchUp(repo);
    expect(matchBanks(query, indexes.banks()).matches.filter((m) => m.bankId === 'follow')).toEqual([]);
    expect(await repo.findEntry('follow', e.id)).toBeUndefined();
    expect(await repo.removeEntry('follow', e.id, LEAD)).toBeUndefined();

    // A fresh process loads only the live entries.
    const fresh = await BankIndexes.load(repo);
    expect(fresh.get('follow')?.size).toBe(0);
    expect(fresh.appliedRevision).toBe(await repo.currentRevision());
  });

  it('adds the same hash once per bank, and counts duplicates of an import', async () => {
    await repo.saveBank(bank('dupes', 'pdq'), LEAD);
    const first = entry('dupes', { kind: 'pdq', hash: pdqFromHex(HEX) });
    await repo.addEntry(first, LEAD);
    const again = await repo.addEntry(entry('dupes', { kind: 'pdq', hash: pdqFromHex(HEX) }), LEAD);
    expect(again.type === 'entry-added' && again.entry.id).toBe(first.id);

    const other = HEX.replace(/^d8/, '27');
    const result = await repo.addEntries(
      [
        entry('dupes', { kind: 'pdq', hash: pdqFromHex(HEX) }),
        entry('dupes', { kind: 'pdq', hash: pdqFromHex(other) }),
        entry('dupes', { kind: 'pdq', hash: pdqFromHex(other) }),
      ],
      LEAD,
    );
    expect(result).toEqual({ added: 1, duplicates: 2 });
    expect(await repo.listEntries('dupes')).toHaveLength(2);
  });

  it('refuses entries of another kind or model, entries of unknown banks, and a change of kind', async () => {
    await repo.saveBank(bank('strict', 'embedding'), LEAD);
    await expect(repo.addEntry(entry('strict', { kind: 'sha256', sha256: SHA }))).rejects.toMatchObject({
      code: 'BANK_KIND_MISMATCH',
    });
    await expect(
      repo.addEntry(entry('strict', { kind: 'embedding', vector: unitVector([1, 0]), modelId: 'model-b' })),
    ).rejects.toMatchObject({ code: 'EMBEDDING_INVALID' });
    await repo.addEntry(
      entry('strict', { kind: 'embedding', vector: unitVector([1, 0, 0]), modelId: 'model-a' }),
    );
    await expect(
      repo.addEntry(entry('strict', { kind: 'embedding', vector: unitVector([1, 0]), modelId: 'model-a' })),
    ).rejects.toMatchObject({
      code: 'EMBEDDING_INVALID',
      message: expect.stringContaining('3-dimensional') as string,
    });
    expect((await BankIndexes.load(repo)).get('strict')?.size).toBe(1);
    await expect(repo.addEntry(entry('nowhere', { kind: 'sha256', sha256: SHA }))).rejects.toMatchObject({
      code: 'BANK_NOT_FOUND',
    });
    await expect(repo.saveBank(bank('strict', 'pdq'))).rejects.toMatchObject({ code: 'BANK_KIND_MISMATCH' });
  });

  it('lists a tenant its own banks and the shared ones, with live entry counts', async () => {
    await repo.saveBank(bank('globex-only', 'sha256', { tenants: ['globex'] }), LEAD);
    await repo.saveBank(bank('shared', 'sha256', { tenants: ['*'] }), LEAD);
    await repo.addEntry(entry('shared', { kind: 'sha256', sha256: SHA }), LEAD);
    const ids = (await repo.summaries(['acme'])).map((b) => b.id);
    expect(ids).toContain('shared');
    expect(ids).toContain('rt-sha');
    expect(ids).not.toContain('globex-only');
    expect((await repo.summaries(['globex'])).map((b) => [b.id, b.entries])).toEqual([
      ['globex-only', 0],
      ['shared', 1],
    ]);
    expect(await repo.summaries([])).toEqual([]);
  });

  it('deletes a bank with its entries, and re-creating it starts empty', async () => {
    await repo.saveBank(bank('gone', 'sha256'), LEAD);
    await repo.addEntry(entry('gone', { kind: 'sha256', sha256: SHA }), LEAD);
    const indexes = await BankIndexes.load(repo);
    expect(indexes.get('gone')?.size).toBe(1);
    await repo.deleteBank('gone', LEAD);
    await indexes.catchUp(repo);
    expect(indexes.get('gone')).toBeUndefined();
    expect(await repo.find('gone')).toBeUndefined();
    await repo.saveBank(bank('gone', 'pdq'), LEAD);
    expect((await BankIndexes.load(repo)).get('gone')?.size).toBe(0);
  });

  it('records every bank and entry change in the audit chain with its actor', async () => {
    await repo.saveBank(bank('audited', 'sha256'), LEAD);
    await repo.saveBank(bank('audited', 'sha256', { enabled: false }), {
      userId: null,
      name: 'clipguard-cli',
    });
    const e = entry('audited', { kind: 'sha256', sha256: SHA });
    await repo.addEntry(e, LEAD);
    await repo.removeEntry('audited', e.id, { userId: null, name: 'api:acme' });

    const rows = await t.db
      .selectFrom('audit_log')
      .select(['kind', 'ref', 'body'])
      .where('ref', 'like', 'bank:audited%')
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => [r.kind, r.ref, (r.body as { action: string }).action])).toEqual([
      ['bank', 'bank:audited', 'create'],
      ['bank', 'bank:audited', 'update'],
      ['bank_entry', `bank:audited/entry:${e.id}`, 'add'],
      ['bank_entry', `bank:audited/entry:${e.id}`, 'remove'],
    ]);
    expect(rows.map((r) => (r.body as { actor: { name: string } }).actor.name)).toEqual([
      'lead@acme.test',
      'clipguard-cli',
      'lead@acme.test',
      'api:acme',
    ]);
    expect(rows[2].body).toMatchObject({ tenant: 'acme', sha256: SHA, source: 'api' });
    expect(await audit.verify()).toMatchObject({ ok: true });
  });

  it('numbers concurrent writes in commit order', async () => {
    await repo.saveBank(bank('busy', 'sha256'), LEAD);
    const before = await repo.currentRevision();
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        repo.addEntry(entry('busy', { kind: 'sha256', sha256: String(i).repeat(64) }), LEAD),
      ),
    );
    const changes = await repo.changesSince(before);
    expect(changes.map((c) => c.revision)).toEqual(Array.from({ length: 8 }, (_, i) => before + i + 1));
  });
});
