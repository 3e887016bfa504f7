import { bankSchema, pdqFromHex, type Bank, type BankEntry } from '@clipguard/banks';
import { BankRepository, EmbeddingRepository } from '@clipguard/storage';
import { mockOf, testEnv } from '@clipguard/testing';
import { BankService, entryInput } from './bank.service';

const HEX = 'd8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22';
const ACTOR = { userId: null, name: 'api:acme' };
const bank = (id: string, tenants: string[], kind: Bank['kind'] = 'pdq'): Bank =>
  bankSchema.parse({ id, title: id, tenants, kind, action: 'block', threshold: kind === 'pdq' ? 31 : 0 });
const summary = (b: Bank) => ({ ...b, entries: 2, createdAt: new Date(0), updatedAt: new Date(0) });

function newTestService() {
  const mocks = { banks: mockOf(BankRepository), embeddings: mockOf(EmbeddingRepository) };
  const sut = new BankService(mocks.banks, mocks.embeddings, testEnv());
  return { sut, mocks };
}
const code = (c: string) => expect.objectContaining({ code: c }) as Error;
const body = (extra: object = {}) => ({
  id: 'known',
  title: 'Known',
  description: '',
  kind: 'pdq' as const,
  action: 'block' as const,
  enabled: true,
  match_dihedral: true,
  ...extra,
});

describe('BankService', () => {
  it('creates a bank for the key’s tenant only, with Meta’s PDQ threshold by default', async () => {
    const { sut, mocks } = newTestService();
    mocks.banks.summaries.mockResolvedValue([summary(bank('known', ['acme']))]);
    mocks.banks.listEntries.mockResolvedValue([]);

    const view = await sut.save('acme', body(), ACTOR);

    expect(mocks.banks.saveBank).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'known', tenants: ['acme'], threshold: 31 }),
      ACTOR,
    );
    expect(view).toMatchObject({ id: 'known', writable: true, entries: 2 });
    expect(view).not.toHaveProperty('recent_entries');
  });

  it('refuses an id held by another tenant or shared, and an invalid definition', async () => {
    const { sut, mocks } = newTestService();
    mocks.banks.find.mockResolvedValueOnce(bank('known', ['globex']));
    await expect(sut.save('acme', body(), ACTOR)).rejects.toThrow(code('BANK_ID_TAKEN'));
    mocks.banks.find.mockResolvedValueOnce(bank('known', ['*']));
    await expect(sut.save('acme', body(), ACTOR)).rejects.toThrow(code('BANK_ID_TAKEN'));
    await expect(sut.save('acme', body({ kind: 'embedding', threshold: 0.9 }), ACTOR)).rejects.toThrow(
      code('BANK_INVALID'),
    );
    await expect(sut.save('acme', body({ threshold: 200 }), ACTOR)).rejects.toThrow(code('BANK_INVALID'));
    expect(mocks.banks.saveBank).not.toHaveBeenCalled();
  });

  it('lets a tenant write its own banks: another tenant’s is not found, a shared one read-only', async () => {
    const { sut, mocks } = newTestService();
    mocks.banks.find.mockResolvedValueOnce(bank('theirs', ['globex']));
    await expect(sut.writable('acme', 'theirs')).rejects.toThrow(code('BANK_NOT_FOUND'));
    mocks.banks.find.mockResolvedValueOnce(bank('shared', ['*']));
    await expect(sut.writable('acme', 'shared')).rejects.toThrow(code('BANK_READ_ONLY'));
    mocks.banks.find.mockResolvedValueOnce(bank('ours', ['acme']));
    await expect(sut.writable('acme', 'ours')).resolves.toMatchObject({ id: 'ours' });
  });

  it('adds a PDQ hash as an entry with its actor, and says when it was already there', async () => {
    const { sut, mocks } = newTestService();
    const stored: BankEntry = {
      id: 'earlier',
      bankId: 'ours',
      value: { kind: 'pdq', hash: pdqFromHex(HEX), quality: 90 },
      source: 'api',
      addedBy: 'api:acme',
      addedAt: '2026-01-01T00:00:00.000Z',
      note: '',
    };
    mocks.banks.addEntry.mockResolvedValue({ revision: 3, type: 'entry-added', entry: stored });

    const added = await sut.addEntry(bank('ours', ['acme']), {
      input: entryInput({ pdq: { hash: HEX, quality: 90 }, note: 'again' }),
      source: 'api',
      actor: ACTOR,
      note: 'again',
    });

    expect(mocks.banks.addEntry.mock.calls[0][0]).toMatchObject({
      bankId: 'ours',
      source: 'api',
      note: 'again',
    });
    expect(mocks.banks.addEntry.mock.calls[0][1]).toBe(ACTOR);
    expect(added).toEqual({
      duplicate: true,
      entry: expect.objectContaining({ id: 'earlier', pdq: { hash: HEX, quality: 90 } }) as object,
    });
  });

  it('answers ENTRY_NOT_FOUND for an unknown or malformed entry id', async () => {
    const { sut, mocks } = newTestService();
    mocks.banks.find.mockResolvedValue(bank('ours', ['acme']));
    await expect(sut.removeEntry('acme', 'ours', 'not-a-uuid', ACTOR)).rejects.toThrow(
      code('ENTRY_NOT_FOUND'),
    );
    mocks.banks.removeEntry.mockResolvedValue(undefined);
    await expect(
      sut.removeEntry('acme', 'ours', '00000000-0000-4000-8000-000000000000', ACTOR),
    ).rejects.toThrow(code('ENTRY_NOT_FOUND'));
    expect(mocks.banks.removeEntry).toHaveBeenCalledTimes(1);
  });
});
