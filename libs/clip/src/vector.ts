/** Small dense-vector helpers; embeddings are a few hundred floats, so plain loops are the fast path. */
export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function l2Normalize(v: Float32Array): Float32Array {
  const n = Math.sqrt(dot(v, v));
  const out = new Float32Array(v.length);
  if (n === 0) return out;
  for (let i = 0; i < v.length; i++) out[i] = v[i] / n;
  return out;
}

/** Mean of unit vectors, re-normalised: the CLIP paper's prompt-ensemble embedding. */
export function meanNormalized(vectors: readonly Float32Array[]): Float32Array {
  if (vectors.length === 0) throw new Error('mean of no vectors');
  const sum = new Float32Array(vectors[0].length);
  for (const v of vectors) for (let i = 0; i < v.length; i++) sum[i] += v[i];
  return l2Normalize(sum);
}

/** Numerically stable softmax of `scale * x`. */
export function softmax(x: readonly number[], scale = 1): number[] {
  const m = Math.max(...x.map((v) => v * scale));
  const e = x.map((v) => Math.exp(v * scale - m));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
}

/** Splits a row-major [rows, dim] buffer into L2-normalised rows. */
export function normalizedRows(data: Float32Array, rows: number, dim: number): Float32Array[] {
  return Array.from({ length: rows }, (_, r) => l2Normalize(data.subarray(r * dim, (r + 1) * dim)));
}
