import { pdqFromHex } from '../pdq/pdq-hash';
import { matchBanks } from '../matching/match';
import { makeBank, makeEntry } from '../matching/testing';
import { BankIndexes } from './bank-indexes';
import { InMemoryBankStore } from './in-memory-bank-store';

const HEX = 'd8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22';
const pdqEntry = (id: string) => makeEntry('hashes', id, { kind: 'pdq', hash: pdqFromHex(HEX), quality: 90 });
const query = { tenant: 't1', pdq: { hash: pdqFromHex(HEX), quality: 100 } };

describe('BankIndexes over a BankStore', () => {
  it('rebuilds every bank from the stored rows at start', async () => {
    const store = new InMemoryBankStore();
    await store.saveBank(makeBank({ id: 'hashes', kind: 'pdq', action: 'block' }));
    await store.addEntry(pdqEntry('e1'));
    const indexes = await BankIndexes.load(store);
    expect(indexes.appliedRevision).toBe(2);
    expect(matchBanks(query, indexes.banks()).winner).toMatchObject({ bankId: 'hashes', entryId: 'e1' });
  });

  it('follows later changes in revision order, once each', async () => {
    const store = new InMemoryBankStore();
    const indexes = await BankIndexes.load(store);
    await store.saveBank(makeBank({ id: 'hashes', kind: 'pdq', action: 'block' }));
    await store.addEntry(pdqEntry('e1'));
    expect(await indexes.catchUp(store)).toBe(2);
    expect(matchBanks(query, indexes.banks()).matches).toHaveLength(1);

    const removed = await store.removeEntry('hashes', 'e1');
    indexes.apply(removed!);
    indexes.apply(removed!);
    expect(matchBanks(query, indexes.banks()).matches).toEqual([]);
    expect(indexes.get('hashes')?.revision).toBe(2);

    await store.saveBank(makeBank({ id: 'hashes', kind: 'pdq', action: 'block', enabled: false }));
    await store.addEntry(pdqEntry('e2'));
    await indexes.catchUp(store);
    expect(matchBanks(query, indexes.banks()).checked).toEqual([]);
    await store.deleteBank('hashes');
    await indexes.catchUp(store);
    expect(indexes.banks()).toEqual([]);
  });

  it('skips an entry its bank’s current definition refuses (history of a bank re-created as another kind)', () => {
    const indexes = new BankIndexes();
    indexes.apply({
      revision: 1,
      type: 'bank-saved',
      bank: makeBank({ id: 'hashes', kind: 'sha256', action: 'block' }),
    });
    indexes.apply({ revision: 2, type: 'entry-added', entry: pdqEntry('old') });
    indexes.apply({
      revision: 3,
      type: 'entry-added',
      entry: makeEntry('hashes', 'new', { kind: 'sha256', sha256: 'a'.repeat(64) }),
    });
    expect(indexes.appliedRevision).toBe(3);
    expect(indexes.get('hashes')?.size).toBe(1);
  });

  it('refuses entries for unknown banks or of the wrong kind', async () => {
    const store = new InMemoryBankStore();
    await expect(store.addEntry(pdqEntry('e1'))).rejects.toMatchObject({ code: 'BANK_NOT_FOUND' });
    await store.saveBank(makeBank({ id: 'hashes', kind: 'sha256', action: 'block' }));
    await expect(store.addEntry(pdqEntry('e1'))).rejects.toMatchObject({ code: 'BANK_KIND_MISMATCH' });
    await expect(
      store.saveBank(makeBank({ id: 'hashes', kind: 'pdq', action: 'block' })),
    ).rejects.toMatchObject({
      code: 'BANK_KIND_MISMATCH',
    });
  });
});

describe('bank definitions', () => {
  it.each([
    [{ kind: 'pdq', threshold: 97 }, 'threshold'],
    [{ kind: 'pdq', threshold: 31.5 }, 'threshold'],
    [{ kind: 'embedding', threshold: 0 }, 'threshold'],
    [{ kind: 'embedding', threshold: 1.01 }, 'threshold'],
    [{ kind: 'embedding', threshold: 0.9, modelId: undefined }, 'modelId'],
  ] as const)('refuses %j (%s)', (overrides, field) => {
    expect(() => makeBank({ id: 'x', action: 'block', ...overrides })).toThrow(field);
  });

  it('accepts Meta’s suggested PDQ threshold and a cosine threshold of 1', () => {
    expect(makeBank({ id: 'x', kind: 'pdq', action: 'block', threshold: 31 }).threshold).toBe(31);
    expect(makeBank({ id: 'y', kind: 'embedding', action: 'allow', threshold: 1 }).matchDihedral).toBe(true);
  });
});
