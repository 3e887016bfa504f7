import { Index, MetricKind, exactSearch, type Matches } from 'usearch';
import { PackedRows } from './slots';

export interface EmbeddingHit {
  entryId: string;
  similarity: number;
}

export interface EmbeddingIndexOptions {
  /** From this many entries on, search an HNSW graph instead of scanning every vector. */
  approximateFrom: number;
  /** Nearest entries fetched per query before the similarity threshold is applied. */
  maxHits: number;
}

/**
 * Measured on this project's 2-core machine (docs/banks.md): a SIMD scan of 512-d vectors costs ~2 ms
 * at 10,000 entries and ~21 ms at 100,000 (memory-bound: 200 MB read per query), against a budget of
 * ~6 ms (a tenth of the CLIP encoder's ~60 ms per image). So small banks are scanned exactly and large
 * ones use usearch's HNSW graph (sub-millisecond, recall 1.0 on near-duplicates in the benchmark).
 * usearch is Apache-2.0, maintained, and ships prebuilt binaries: nothing is compiled or downloaded at
 * install. hnswlib-node compiles at install and faiss-node downloads its binaries, so both were refused.
 */
export const DEFAULT_EMBEDDING_INDEX_OPTIONS: EmbeddingIndexOptions = {
  approximateFrom: 20_000,
  maxHits: 16,
};

/** Cosine search over unit vectors (inner product), exact below approximateFrom entries. */
export class EmbeddingIndex {
  private readonly rows: PackedRows<Float32Array>;
  private graph?: Index;
  private readonly keyOf = new Map<string, bigint>();
  private readonly idOfKey = new Map<bigint, string>();
  private nextKey = 1n;

  constructor(
    readonly dimensions: number,
    private readonly options: EmbeddingIndexOptions = DEFAULT_EMBEDDING_INDEX_OPTIONS,
  ) {
    this.rows = new PackedRows(dimensions, (n) => new Float32Array(n));
  }

  get size(): number {
    return this.rows.size;
  }

  get approximate(): boolean {
    return this.graph !== undefined;
  }

  /** `unit` must be L2-normalised (entry.ts unitVector). */
  add(entryId: string, unit: Float32Array): void {
    this.remove(entryId);
    this.rows.put(entryId, unit);
    const key = this.nextKey++;
    this.keyOf.set(entryId, key);
    this.idOfKey.set(key, entryId);
    if (this.graph) this.graph.add(key, unit);
    else if (this.rows.size >= this.options.approximateFrom) this.buildGraph();
  }

  remove(entryId: string): boolean {
    if (!this.rows.remove(entryId)) return false;
    const key = this.keyOf.get(entryId)!;
    this.keyOf.delete(entryId);
    this.idOfKey.delete(key);
    this.graph?.remove(key);
    return true;
  }

  /** The nearest entries (at most maxHits) whose cosine similarity to the unit query is ≥ minSimilarity. */
  search(unit: Float32Array, minSimilarity: number): EmbeddingHit[] {
    const n = this.rows.size;
    if (n === 0) return [];
    const k = Math.min(n, this.options.maxHits);
    const hits: EmbeddingHit[] = [];
    if (this.graph) {
      const found = this.graph.search(unit, k, 1);
      this.collect(found, (key) => this.idOfKey.get(key), minSimilarity, hits);
    } else {
      const data = this.rows.data.subarray(0, n * this.dimensions);
      const found = exactSearch(data, unit, this.dimensions, k, MetricKind.IP, 1);
      this.collect(found, (slot) => this.rows.idAt(Number(slot)), minSimilarity, hits);
    }
    return hits;
  }

  private collect(
    found: Matches,
    idOf: (key: bigint) => string | undefined,
    minSimilarity: number,
    hits: EmbeddingHit[],
  ): void {
    for (let i = 0; i < found.keys.length; i++) {
      // usearch's inner-product "distance" is 1 − dot.
      const similarity = 1 - found.distances[i];
      const entryId = idOf(found.keys[i]);
      if (entryId !== undefined && similarity >= minSimilarity) hits.push({ entryId, similarity });
    }
  }

  private buildGraph(): void {
    const n = this.rows.size;
    this.graph = new Index({
      dimensions: this.dimensions,
      metric: MetricKind.IP,
      quantization: 'f32',
      connectivity: 16,
      expansion_add: 64,
      expansion_search: 64,
      multi: false,
    } as ConstructorParameters<typeof Index>[0]);
    const keys = new BigUint64Array(n);
    for (let slot = 0; slot < n; slot++) keys[slot] = this.keyOf.get(this.rows.idAt(slot))!;
    this.graph.add(keys, this.rows.data.subarray(0, n * this.dimensions), 0);
  }
}
