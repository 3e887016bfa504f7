import { EmbeddingIndex } from '@clipguard/banks';
import { PdqIndex } from '@clipguard/banks';
import { summarizeLatencies, type LatencySummary } from '../bench/stats';

export interface LatencyRow {
  what: string;
  entries: number;
  latency: LatencySummary;
  buildSeconds?: number;
  recallAt1?: number;
}

/** Deterministic 32-bit LCG, so runs are comparable. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function time(run: () => void, queries: number): number[] {
  const ms: number[] = [];
  for (let i = 0; i < queries; i++) {
    const t = performance.now();
    run();
    ms.push(performance.now() - t);
  }
  return ms;
}

export function measurePdq(entries: number, queries: number): LatencyRow[] {
  const rand = lcg(1);
  const word = () => Math.floor(rand() * 2 ** 32);
  const index = new PdqIndex();
  for (let i = 0; i < entries; i++) index.add(`e${i}`, Uint32Array.from({ length: 8 }, word));
  const hash = () => Uint32Array.from({ length: 8 }, word);
  time(() => index.search([hash()], 31), 20);
  return [1, 8].map((n) => ({
    what: n === 1 ? 'PDQ exact, 1 hash' : 'PDQ exact, 8 dihedral hashes',
    entries,
    latency: summarizeLatencies(time(() => index.search(Array.from({ length: n }, hash), 31), queries)),
  }));
}

/** Clustered unit vectors (CLIP embeddings are far from uniform), 512-d. */
function embeddings(entries: number, dim: number, rand: () => number): Float32Array {
  const centres = Array.from({ length: 200 }, () => Float32Array.from({ length: dim }, () => rand() - 0.5));
  const data = new Float32Array(entries * dim);
  for (let i = 0; i < entries; i++) {
    const c = centres[i % centres.length];
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      const v = c[j] + 0.6 * (rand() - 0.5);
      data[i * dim + j] = v;
      norm += v * v;
    }
    for (let j = 0; j < dim; j++) data[i * dim + j] /= Math.sqrt(norm);
  }
  return data;
}

export function measureEmbeddings(entries: number, queries: number, dim = 512): LatencyRow[] {
  const rand = lcg(2);
  const data = embeddings(entries, dim, rand);
  const rows: LatencyRow[] = [];
  for (const approximate of [false, true]) {
    const index = new EmbeddingIndex(dim, { approximateFrom: approximate ? 1 : Infinity, maxHits: 16 });
    const t = performance.now();
    for (let i = 0; i < entries; i++) index.add(`e${i}`, data.subarray(i * dim, (i + 1) * dim));
    const buildSeconds = (performance.now() - t) / 1000;
    let found = 0;
    const ms = time(() => {
      // A near-duplicate of a random entry: what an embedding bank is for.
      const target = Math.floor(rand() * entries);
      const q = data.slice(target * dim, (target + 1) * dim).map((x) => x + (rand() - 0.5) * 0.004);
      const hits = index.search(q, 0.9);
      if (hits[0]?.entryId === `e${target}`) found++;
    }, queries);
    rows.push({
      what: approximate ? 'embedding HNSW (usearch)' : 'embedding exact (usearch SIMD scan)',
      entries,
      latency: summarizeLatencies(ms),
      buildSeconds,
      recallAt1: found / queries,
    });
  }
  return rows;
}
