import { PDQ_WORDS, popcount32, type PdqHash } from '../pdq/pdq-hash';
import { PackedRows } from './slots';

export interface PdqHit {
  entryId: string;
  distance: number;
  /** Which of the query hashes matched (index into the queries given to search). */
  query: number;
}

/**
 * Hamming distance of the hash at data[o..o+8) to h, unrolled; gives up (returning ≥ bound) once the first
 * 96 bits already reach the bound, as they do for unrelated hashes (~48 bits apart there) at thresholds
 * up to about 40.
 */
function boundedDistance(data: Uint32Array, o: number, h: PdqHash, bound: number): number {
  let d = popcount32(data[o] ^ h[0]) + popcount32(data[o + 1] ^ h[1]) + popcount32(data[o + 2] ^ h[2]);
  if (d >= bound) return d;
  d += popcount32(data[o + 3] ^ h[3]);
  d +=
    popcount32(data[o + 4] ^ h[4]) +
    popcount32(data[o + 5] ^ h[5]) +
    popcount32(data[o + 6] ^ h[6]) +
    popcount32(data[o + 7] ^ h[7]);
  return d;
}

/**
 * Exact PDQ search: every entry's 256 bits against each query hash, XOR and popcount on 32-bit words.
 * Measured at 100,000 entries well under a millisecond per hash on this project's 2-core machine
 * (docs/banks.md), so no approximate index is needed for PDQ at that size.
 */
export class PdqIndex {
  private readonly rows = new PackedRows(PDQ_WORDS, (n) => new Uint32Array(n));

  get size(): number {
    return this.rows.size;
  }

  add(entryId: string, hash: PdqHash): void {
    this.rows.put(entryId, hash);
  }

  remove(entryId: string): boolean {
    return this.rows.remove(entryId);
  }

  /** Entries within maxDistance of any query hash, each once, with its nearest query. */
  search(queries: readonly PdqHash[], maxDistance: number): PdqHit[] {
    const hits: PdqHit[] = [];
    const data = this.rows.data;
    const n = this.rows.size;
    for (let slot = 0; slot < n; slot++) {
      const o = slot * PDQ_WORDS;
      let best = maxDistance + 1;
      let bestQuery = -1;
      for (let q = 0; q < queries.length; q++) {
        const d = boundedDistance(data, o, queries[q], best);
        if (d < best) {
          best = d;
          bestQuery = q;
        }
      }
      if (bestQuery >= 0) hits.push({ entryId: this.rows.idAt(slot), distance: best, query: bestQuery });
    }
    return hits;
  }
}
