import { bankSchema, type Bank } from '@clipguard/banks';
import type { Role } from '@clipguard/contracts';
import { BankRepository, SimilarCasesRepository } from '@clipguard/storage';
import { MemoryBlobStore, mockOf, testEnv } from '@clipguard/testing';
import { BankService } from '../banks/bank.service';
import { ConsoleBankService, type ItemRef } from './console-bank.service';
import type { ConsoleUser } from './console-request';

const bank = (id: string, tenants: string[]): Bank =>
  bankSchema.parse({ id, title: id, tenants, kind: 'sha256', action: 'block', threshold: 0 });
const summary = (b: Bank) => ({ ...b, entries: 1, createdAt: new Date(0), updatedAt: new Date(0) });
const user = (role: Role, tenant = 'acme') =>
  ({ id: 'u1', displayName: 'Lee Lead', memberships: [{ tenant, role }] }) as unknown as ConsoleUser;
const code = (c: string) => expect.objectContaining({ code: c }) as Error;

async function newTestService() {
  const mocks = {
    banks: mockOf(BankRepository),
    bankService: mockOf(BankService),
    cases: mockOf(SimilarCasesRepository),
    blobs: new MemoryBlobStore(),
  };
  const sut = new ConsoleBankService(
    mocks.banks,
    mocks.bankService,
    mocks.cases,
    mocks.blobs,
    testEnv({ CLIPGUARD_SIMILAR_SCAN_LIMIT: '50' }),
  );
  const item: ItemRef = {
    id: 'item-1',
    tenant: 'acme',
    submission_id: 'sub-1',
    blob_key: await mocks.blobs.put(Buffer.from('image bytes')),
    model_id: 'tiny',
  };
  return { sut, mocks, item };
}

describe('ConsoleBankService.list', () => {
  it('gives a lead the banks of their tenants, leaving out the operator’s shared ones', async () => {
    const { sut, mocks } = await newTestService();
    mocks.banks.summaries.mockResolvedValue([
      summary(bank('ours', ['acme'])),
      summary(bank('shared', ['*'])),
    ]);
    expect((await sut.list(user('lead'))).map((b) => b.id)).toEqual(['ours']);
    expect(mocks.banks.summaries).toHaveBeenCalledWith(['acme']);
  });

  it('refuses a moderator', async () => {
    const { sut } = await newTestService();
    await expect(sut.list(user('moderator'))).rejects.toThrow(code('ROLE_FORBIDDEN'));
  });
});

describe('ConsoleBankService.prepare (block and add to bank)', () => {
  it('refuses allow, a moderator, another tenant’s or a shared bank, before anything is hashed', async () => {
    const { sut, mocks, item } = await newTestService();
    await expect(sut.prepare(user('lead'), item, 'allow', 'ours')).rejects.toThrow(code('BANK_NEEDS_BLOCK'));
    await expect(sut.prepare(user('moderator'), item, 'block', 'ours')).rejects.toThrow(
      code('ROLE_FORBIDDEN'),
    );
    mocks.banks.find.mockResolvedValueOnce(bank('theirs', ['globex']));
    await expect(sut.prepare(user('lead'), item, 'block', 'theirs')).rejects.toThrow(code('BANK_NOT_FOUND'));
    mocks.banks.find.mockResolvedValueOnce(bank('shared', ['*']));
    await expect(sut.prepare(user('lead'), item, 'block', 'shared')).rejects.toThrow(code('BANK_NOT_FOUND'));
    expect(mocks.bankService.preview).not.toHaveBeenCalled();
  });

  it('hashes the item’s image first and adds it, as a review entry by the lead, when told to', async () => {
    const { sut, mocks, item } = await newTestService();
    const ours = bank('ours', ['acme']);
    const value = { kind: 'sha256' as const, sha256: 'a'.repeat(64) };
    mocks.banks.find.mockResolvedValue(ours);
    mocks.bankService.preview.mockResolvedValue(value);

    const add = await sut.prepare(user('lead'), item, 'block', 'ours');
    expect(mocks.bankService.preview).toHaveBeenCalledWith(ours, { image: Buffer.from('image bytes') });
    expect(mocks.bankService.addValue).not.toHaveBeenCalled();
    await add('seen it');

    expect(mocks.bankService.addValue).toHaveBeenCalledWith(ours, value, {
      source: 'review',
      actor: { userId: 'u1', name: 'Lee Lead' },
      note: 'seen it',
    });
  });

  it('answers IMAGE_UNAVAILABLE when the image is no longer stored', async () => {
    const { sut, mocks, item } = await newTestService();
    mocks.banks.find.mockResolvedValue(bank('ours', ['acme']));
    await expect(sut.prepare(user('lead'), { ...item, blob_key: null }, 'block', 'ours')).rejects.toThrow(
      code('IMAGE_UNAVAILABLE'),
    );
  });
});

describe('ConsoleBankService.similar', () => {
  const decided = (itemId: string, embedding: number[]) => ({
    itemId,
    submissionId: `s-${itemId}`,
    verdict: 'block' as const,
    labels: ['red'],
    resolvedAt: new Date('2026-01-01T00:00:00Z'),
    resolvedBy: 'Mo',
    embedding: Float32Array.from(embedding),
  });

  it('ranks the tenant’s human decisions by similarity, in the queues the user may open', async () => {
    const { sut, mocks, item } = await newTestService();
    mocks.cases.embeddingOf.mockResolvedValue(Float32Array.from([1, 0]));
    mocks.cases.humanDecided.mockResolvedValue([decided('far', [0, 1]), decided('near', [1, 0.1])]);

    const similar = await sut.similar(user('moderator'), item);

    expect(mocks.cases.humanDecided).toHaveBeenCalledWith('acme', 'tiny', 50, 'sub-1', ['review']);
    expect(similar.map((s) => s.item_id)).toEqual(['near', 'far']);
    expect(similar[0]).toMatchObject({
      submission_id: 's-near',
      verdict: 'block',
      labels: ['red'],
      resolved_by: 'Mo',
      resolved_at: '2026-01-01T00:00:00.000Z',
      image_url: '/v1/console/items/near/image',
    });
    expect(similar[0].similarity).toBeCloseTo(1 / Math.sqrt(1.01), 5);
  });

  it('is empty when the item has no stored embedding', async () => {
    const { sut, mocks, item } = await newTestService();
    mocks.cases.embeddingOf.mockResolvedValue(undefined);
    expect(await sut.similar(user('lead'), item)).toEqual([]);
    expect(mocks.cases.humanDecided).not.toHaveBeenCalled();
  });
});
