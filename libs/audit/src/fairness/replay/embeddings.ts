import { FairnessError } from '../errors';

/**
 * Stored image embeddings (float32 little-endian, frames × dim, as the decision service writes them) as one
 * vector per frame. The bytes are copied: a buffer read from Postgres need not be 4-byte aligned, and may be
 * a view into a larger pooled buffer.
 */
export function framesFromVectors(vectors: Uint8Array, frames: number, dim: number): Float32Array[] {
  if (!Number.isInteger(frames) || frames < 1 || vectors.byteLength !== frames * dim * 4) {
    throw new FairnessError(
      'EMBEDDING_SHAPE_INVALID',
      `stored embedding has ${vectors.byteLength} bytes; ${frames} frame(s) of ${dim} float32 need ${frames * dim * 4}`,
    );
  }
  // new Uint8Array copies: Buffer#slice (pg's bytea) would be a view into Node's shared pool.
  const all = new Float32Array(new Uint8Array(vectors).buffer);
  return Array.from({ length: frames }, (_, f) => all.subarray(f * dim, (f + 1) * dim));
}
