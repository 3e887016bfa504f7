import sharp from 'sharp';
import { pdqHashImage } from '../pdq/pdq-image';
import { syntheticImages } from '../pdq/synthetic-images';
import { unitVector } from '../matching/entry';
import { makeBank, makeEntry } from '../matching/testing';
import { BankMatcher } from './bank-matcher';
import { InMemoryBankStore } from './in-memory-bank-store';

const SHA = 'e'.repeat(64);

async function png(): Promise<Buffer> {
  const { pixels } = syntheticImages().find((s) => s.name === 'waves')!;
  return sharp(Buffer.from(pixels.data), {
    raw: { width: pixels.width, height: pixels.height, channels: pixels.channels },
  })
    .png()
    .toBuffer();
}

describe('BankMatcher', () => {
  it('answers undefined when no enabled bank applies to the tenant', async () => {
    const store = new InMemoryBankStore();
    await store.saveBank(makeBank({ id: 'other', kind: 'sha256', action: 'block', tenants: ['t2'] }));
    await store.saveBank(makeBank({ id: 'off', kind: 'sha256', action: 'block', enabled: false }));
    const matcher = await BankMatcher.open(store);
    expect(await matcher.match({ tenant: 't1', sha256: SHA })).toBeUndefined();
  });

  it('sees an entry committed after it opened, on the next match', async () => {
    const store = new InMemoryBankStore();
    await store.saveBank(makeBank({ id: 'known', kind: 'sha256', action: 'block' }));
    const matcher = await BankMatcher.open(store);
    expect((await matcher.match({ tenant: 't1', sha256: SHA }))?.outcome.matches).toEqual([]);
    await store.addEntry(makeEntry('known', 'e1', { kind: 'sha256', sha256: SHA }));
    const result = await matcher.match({ tenant: 't1', sha256: SHA });
    expect(result?.outcome.winner).toMatchObject({ bankId: 'known', entryId: 'e1', action: 'block' });
    expect(result?.revision).toBe(2);
    expect(result?.outcome.checked).toEqual([
      { bankId: 'known', kind: 'sha256', revision: 1, entries: 1, matches: 1 },
    ]);
  });

  it('a refresh asked for during a read waits for a read that began after it', async () => {
    const store = new InMemoryBankStore();
    await store.saveBank(makeBank({ id: 'known', kind: 'sha256', action: 'block' }));
    const matcher = await BankMatcher.open(store);
    const first = matcher.refresh();
    // Committed while the first read may already have run: the second caller must still see it.
    await store.addEntry(makeEntry('known', 'e1', { kind: 'sha256', sha256: SHA }));
    const second = matcher.refresh();
    await Promise.all([first, second]);
    expect(matcher.revision).toBe(2);
  });

  it('hashes the image with PDQ only when a PDQ bank of the tenant has entries, and matches it', async () => {
    const image = await png();
    const { hash, quality } = await pdqHashImage(image);
    const store = new InMemoryBankStore();
    await store.saveBank(makeBank({ id: 'hashes', kind: 'pdq', action: 'block' }));
    const matcher = await BankMatcher.open(store);
    const empty = await matcher.match({ tenant: 't1', sha256: SHA, image });
    expect(empty?.pdq).toBeUndefined();
    expect(empty?.outcome.checked[0].skipped).toBe('no-pdq');

    await store.addEntry(makeEntry('hashes', 'h1', { kind: 'pdq', hash, quality }));
    const result = await matcher.match({ tenant: 't1', sha256: SHA, image });
    expect(result?.pdq).toEqual({ hash: expect.stringMatching(/^[0-9a-f]{64}$/) as string, quality });
    expect(result?.outcome.winner).toMatchObject({ bankId: 'hashes', entryId: 'h1', distance: 0 });
  });

  it('skips PDQ banks, saying why, when the bytes cannot be hashed', async () => {
    const store = new InMemoryBankStore();
    await store.saveBank(makeBank({ id: 'hashes', kind: 'pdq', action: 'block' }));
    const { hash } = await pdqHashImage(await png());
    await store.addEntry(makeEntry('hashes', 'h1', { kind: 'pdq', hash, quality: 100 }));
    const matcher = await BankMatcher.open(store);
    const result = await matcher.match({ tenant: 't1', sha256: SHA, image: Buffer.from('not an image') });
    expect(result?.pdqError).toMatch(/JPEG, PNG/);
    expect(result?.outcome.checked[0].skipped).toBe('no-pdq');
  });

  it('matches the embedding against embedding banks of its model', async () => {
    const store = new InMemoryBankStore();
    await store.saveBank(makeBank({ id: 'near', kind: 'embedding', action: 'allow', threshold: 0.95 }));
    await store.addEntry(
      makeEntry('near', 'v1', { kind: 'embedding', vector: unitVector([1, 0, 0]), modelId: 'model-a' }),
    );
    const matcher = await BankMatcher.open(store);
    const result = await matcher.match({
      tenant: 't1',
      sha256: SHA,
      embedding: { vector: Float32Array.from([2, 0.1, 0]), modelId: 'model-a' },
    });
    expect(result?.outcome.winner).toMatchObject({ bankId: 'near', action: 'allow' });
    expect(result?.outcome.winner?.similarity).toBeGreaterThan(0.99);
  });
});
