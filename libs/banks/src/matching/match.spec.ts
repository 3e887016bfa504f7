import { pdqDihedralFromPixels } from '../pdq/pdq';
import { pdqFromHex, pdqToHex, type PdqHash } from '../pdq/pdq-hash';
import { syntheticImages } from '../pdq/synthetic-images';
import { parseSha256, pdqEntryValue, unitVector, type EntryValue } from './entry';
import { matchBanks, type MatchQuery } from './match';
import { indexed, makeBank } from './testing';

const SHA = 'a'.repeat(64);
const BASE = 'd8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22';

/** `hex` with its lowest `bits` bits inverted: exactly `bits` away. */
function flipped(hex: string, bits: number): PdqHash {
  const hash = pdqFromHex(hex);
  for (let k = 0; k < bits; k++) hash[k >>> 5] ^= 1 << (k & 31);
  return hash;
}
const pdq = (hash: PdqHash, quality = 100): EntryValue => ({ kind: 'pdq', hash, quality });
const sha = (s: string): EntryValue => ({ kind: 'sha256', sha256: s });
/** Unit vectors [1, 0, …] and [c, √(1−c²), 0, …] have cosine similarity exactly c (for c = 0.75: 0.75). */
const axis = (dim = 8) => Float32Array.from({ length: dim }, (_, i) => (i === 0 ? 1 : 0));
const at = (c: number, dim = 8) =>
  Float32Array.from({ length: dim }, (_, i) => (i === 0 ? c : i === 1 ? Math.sqrt(1 - c * c) : 0));
const emb = (v: Float32Array, modelId = 'model-a'): EntryValue => ({
  kind: 'embedding',
  vector: unitVector(v),
  modelId,
});

const query = (q: Omit<MatchQuery, 'tenant'>): MatchQuery => ({ tenant: 't1', ...q });

describe('sha256 banks', () => {
  const bank = indexed(makeBank({ id: 'known', kind: 'sha256', action: 'block' }), [['e1', sha(SHA)]]);

  it('match only the exact digest', () => {
    expect(matchBanks(query({ sha256: SHA }), [bank]).winner).toMatchObject({ entryId: 'e1', distance: 0 });
    expect(matchBanks(query({ sha256: `${'a'.repeat(63)}b` }), [bank]).matches).toEqual([]);
  });

  it('normalise digests on the way in and refuse malformed ones', () => {
    expect(parseSha256(` ${SHA.toUpperCase()} `)).toBe(SHA);
    expect(() => parseSha256('abc')).toThrow(expect.objectContaining({ code: 'SHA256_INVALID' }) as Error);
  });
});

describe('PDQ banks at the distance threshold', () => {
  const bank = (threshold: number) =>
    indexed(makeBank({ id: 'pdq', kind: 'pdq', action: 'block', threshold, matchDihedral: false }), [
      ['e1', pdq(pdqFromHex(BASE))],
    ]);

  it.each([
    [31, 31, true],
    [31, 32, false],
    [0, 0, true],
    [0, 1, false],
  ])('threshold %i, distance %i: match %s', (threshold, distance, matched) => {
    const outcome = matchBanks(query({ pdq: { hash: flipped(BASE, distance), quality: 100 } }), [
      bank(threshold),
    ]);
    expect(outcome.matches.map((m) => m.distance)).toEqual(matched ? [distance] : []);
  });

  it('skip a query hash of quality below 50 (Meta’s recommendation) and say so', () => {
    const low = matchBanks(query({ pdq: { hash: pdqFromHex(BASE), quality: 49 } }), [bank(31)]);
    expect(low.matches).toEqual([]);
    expect(low.checked).toEqual([expect.objectContaining({ bankId: 'pdq', skipped: 'low-quality-pdq' })]);
    const ok = matchBanks(query({ pdq: { hash: pdqFromHex(BASE), quality: 50 } }), [bank(31)]);
    expect(ok.matches).toHaveLength(1);
  });

  it('refuse entries of quality below 50, accept 50 and hashes imported without quality', () => {
    expect(() => pdqEntryValue(BASE, 49)).toThrow(
      expect.objectContaining({ code: 'PDQ_LOW_QUALITY' }) as Error,
    );
    expect(pdqEntryValue(BASE, 50)).toMatchObject({ kind: 'pdq', quality: 50 });
    expect(pdqEntryValue(BASE)).toMatchObject({ kind: 'pdq', quality: undefined });
  });

  it('match a mirrored image through its dihedral hashes when the bank allows it', () => {
    const waves = syntheticImages().find((s) => s.name === 'waves')!;
    const { hashes } = pdqDihedralFromPixels(waves.pixels);
    // The bank holds the mirror image; the query is the original with its eight variants.
    const entry: Array<[string, EntryValue]> = [['mirror', pdq(hashes.flipY)]];
    const q = query({ pdq: { hash: hashes.original, quality: 100, dihedral: hashes } });
    const on = indexed(makeBank({ id: 'on', kind: 'pdq', action: 'block' }), entry);
    const off = indexed(makeBank({ id: 'off', kind: 'pdq', action: 'block', matchDihedral: false }), entry);
    expect(pdqToHex(hashes.flipY)).not.toBe(pdqToHex(hashes.original));
    expect(matchBanks(q, [on]).winner).toMatchObject({ entryId: 'mirror', distance: 0, variant: 'flipY' });
    expect(matchBanks(q, [off]).matches).toEqual([]);
  });
});

describe('embedding banks at the similarity threshold', () => {
  const bank = (threshold: number) =>
    indexed(makeBank({ id: 'emb', kind: 'embedding', action: 'review', threshold }), [['e1', emb(axis())]]);

  it.each([
    [0.75, 0.75, true],
    [0.7500001, 0.75, false],
    [0.5, 0.5, true],
    [0.5000001, 0.5, false],
  ])('threshold %d, similarity %d: match %s', (threshold, similarity, matched) => {
    const outcome = matchBanks(query({ embedding: { vector: at(similarity), modelId: 'model-a' } }), [
      bank(threshold),
    ]);
    expect(outcome.matches.map((m) => m.similarity)).toEqual(matched ? [similarity] : []);
  });

  it('compare only embeddings of the bank’s model, and normalise the query', () => {
    const q = (modelId: string) => query({ embedding: { vector: at(0.9).map((x) => x * 7), modelId } });
    expect(matchBanks(q('model-a'), [bank(0.85)]).matches).toHaveLength(1);
    const other = matchBanks(q('model-b'), [bank(0.85)]);
    expect(other.matches).toEqual([]);
    expect(other.checked[0].skipped).toBe('other-model');
  });

  it('refuse entries of the wrong size or model, and zero or non-finite vectors', () => {
    const b = bank(0.9);
    expect(() => indexed(b.bank, [['x', emb(axis(4))]])).not.toThrow();
    const two = indexed(b.bank, [['x', emb(axis(8))]]);
    expect(() => two.add({ ...twoEntry(), value: emb(axis(4)) })).toThrow(
      expect.objectContaining({ code: 'EMBEDDING_INVALID' }) as Error,
    );
    expect(() => two.add({ ...twoEntry(), value: emb(axis(8), 'model-b') })).toThrow(
      expect.objectContaining({ code: 'EMBEDDING_INVALID' }) as Error,
    );
    expect(() => unitVector(new Float32Array(8))).toThrow(
      expect.objectContaining({ code: 'EMBEDDING_INVALID' }) as Error,
    );
    expect(() => unitVector([1, Number.NaN])).toThrow(
      expect.objectContaining({ code: 'EMBEDDING_INVALID' }) as Error,
    );
  });
});

function twoEntry() {
  return {
    id: 'y',
    bankId: 'emb',
    source: 'api' as const,
    addedBy: 'a',
    addedAt: '2025-01-01T00:00:00Z',
    note: '',
  };
}

describe('which banks are consulted', () => {
  const block = indexed(makeBank({ id: 'b', kind: 'sha256', action: 'block' }), [['e1', sha(SHA)]]);

  it('skips disabled banks and other tenants’ banks, and takes "*" banks for everyone', () => {
    const disabled = indexed(makeBank({ id: 'd', kind: 'sha256', action: 'block', enabled: false }), [
      ['e', sha(SHA)],
    ]);
    const other = indexed(makeBank({ id: 'o', kind: 'sha256', action: 'block', tenants: ['t2'] }), [
      ['e', sha(SHA)],
    ]);
    const shared = indexed(makeBank({ id: 's', kind: 'sha256', action: 'block', tenants: ['*'] }), [
      ['e', sha(SHA)],
    ]);
    const outcome = matchBanks(query({ sha256: SHA }), [block, disabled, other, shared]);
    expect(outcome.checked.map((c) => c.bankId)).toEqual(['b', 's']);
    expect(outcome.matches.map((m) => m.bankId)).toEqual(['b', 's']);
  });

  it('records each bank checked with its revision, size and matches, and why it was skipped', () => {
    const pdqBank = indexed(makeBank({ id: 'p', kind: 'pdq', action: 'block' }), [
      ['e', pdq(pdqFromHex(BASE))],
    ]);
    const outcome = matchBanks(query({ sha256: SHA }), [block, pdqBank]);
    expect(outcome.checked).toEqual([
      { bankId: 'b', kind: 'sha256', revision: 1, entries: 1, matches: 1 },
      { bankId: 'p', kind: 'pdq', revision: 1, entries: 1, matches: 0, skipped: 'no-pdq' },
    ]);
  });
});
