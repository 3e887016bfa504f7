import { pdqDistance, type PdqHash } from '../pdq/pdq-hash';
import { unitVector } from '../matching/entry';
import { EmbeddingIndex } from './embedding-index';
import { PdqIndex } from './pdq-index';
import { Sha256Index } from './sha256-index';

/** Deterministic pseudo-random numbers (32-bit LCG) so failures reproduce. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}
const next = lcg(7);
const randomHash = (): PdqHash => Uint32Array.from({ length: 8 }, () => next());
const near = (h: PdqHash, bits: number): PdqHash => {
  const out = Uint32Array.from(h);
  for (let k = 0; k < bits; k++) out[((k * 37) % 256) >>> 5] ^= 1 << (((k * 37) % 256) & 31);
  return out;
};

describe('PdqIndex', () => {
  const hashes = Array.from({ length: 2000 }, randomHash);
  const index = new PdqIndex();
  hashes.forEach((h, i) => index.add(`e${i}`, h));

  it('finds exactly the entries a brute-force scan finds, with their distances', () => {
    const query = near(hashes[17], 20);
    for (const threshold of [0, 19, 20, 31, 100]) {
      const expected = hashes
        .map((h, i) => ({ entryId: `e${i}`, distance: pdqDistance(h, query) }))
        .filter((hit) => hit.distance <= threshold);
      const found = index.search([query], threshold).map(({ entryId, distance }) => ({ entryId, distance }));
      expect(found).toEqual(expected);
    }
  });

  it('reports each entry once, with the nearest of several query hashes', () => {
    const hits = index.search([near(hashes[5], 12), near(hashes[5], 4)], 31);
    expect(hits).toEqual([{ entryId: 'e5', distance: 4, query: 1 }]);
  });

  it('forgets removed entries and keeps the rest findable', () => {
    const small = new PdqIndex();
    ['a', 'b', 'c'].forEach((id, i) => small.add(id, hashes[i]));
    expect(small.remove('a')).toBe(true);
    expect(small.remove('a')).toBe(false);
    expect(small.size).toBe(2);
    expect(small.search([hashes[0]], 0)).toEqual([]);
    expect(small.search([hashes[2]], 0).map((h) => h.entryId)).toEqual(['c']);
  });
});

describe('EmbeddingIndex', () => {
  const dim = 32;
  const vectors = Array.from({ length: 300 }, () =>
    unitVector(Float32Array.from({ length: dim }, () => next() / 2 ** 32 - 0.5)),
  );
  const build = (approximateFrom: number) => {
    const index = new EmbeddingIndex(dim, { approximateFrom, maxHits: 16 });
    vectors.forEach((v, i) => index.add(`v${i}`, v));
    return index;
  };

  it.each([
    ['exact scan', 10_000, false],
    ['HNSW graph', 100, true],
  ])(
    '%s: finds a vector’s own entry at similarity 1 and nothing under a high threshold',
    (_name, from, approximate) => {
      const index = build(from);
      expect(index.approximate).toBe(approximate);
      const hits = index.search(vectors[42], 0.999);
      expect(hits.map((h) => h.entryId)).toEqual(['v42']);
      expect(hits[0].similarity).toBeCloseTo(1, 5);
    },
  );

  it('the exact scan returns the same nearest entries as a brute-force dot product', () => {
    const index = build(10_000);
    const query = vectors[3].map((x, i) => x + (i % 3) * 0.05);
    const unit = unitVector(query);
    const expected = vectors
      .map((v, i) => ({ id: `v${i}`, s: v.reduce((acc, x, j) => acc + x * unit[j], 0) }))
      .filter((x) => x.s >= 0.1)
      .sort((a, b) => b.s - a.s)
      .slice(0, 16);
    const hits = index.search(unit, 0.1);
    expect(hits.map((h) => h.entryId)).toEqual(expected.map((x) => x.id));
    hits.forEach((h, i) => expect(h.similarity).toBeCloseTo(expected[i].s, 5));
  });

  it.each([10_000, 100])('removes entries (approximateFrom %i)', (from) => {
    const index = build(from);
    expect(index.remove('v42')).toBe(true);
    expect(index.search(vectors[42], 0.999)).toEqual([]);
    index.add('again', vectors[42]);
    expect(index.search(vectors[42], 0.999).map((h) => h.entryId)).toEqual(['again']);
  });
});

describe('Sha256Index', () => {
  it('maps a digest to every entry holding it, and forgets removed ones', () => {
    const index = new Sha256Index();
    index.add('a', 'x'.repeat(64));
    index.add('b', 'x'.repeat(64));
    expect(index.search('x'.repeat(64)).sort()).toEqual(['a', 'b']);
    index.remove('a');
    expect(index.search('x'.repeat(64))).toEqual(['b']);
    expect(index.size).toBe(1);
  });
});
