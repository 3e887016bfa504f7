import { BankError } from '../errors';

/**
 * The k candidates most similar to the query by cosine similarity, most similar first (stable for ties).
 * An exact scan: the candidates are one tenant's human decisions, bounded by the caller.
 */
export function nearest<T extends { embedding: Float32Array }>(
  query: Float32Array,
  candidates: readonly T[],
  k: number,
): Array<T & { similarity: number }> {
  const qn = norm(query);
  if (qn === 0) throw new BankError('EMBEDDING_INVALID', 'the query embedding is all zeros');
  const scored: Array<T & { similarity: number }> = [];
  for (const c of candidates) {
    if (c.embedding.length !== query.length) continue;
    const cn = norm(c.embedding);
    if (cn === 0) continue;
    let dot = 0;
    for (let i = 0; i < query.length; i++) dot += query[i] * c.embedding[i];
    scored.push({ ...c, similarity: dot / (qn * cn) });
  }
  return scored.sort((a, b) => b.similarity - a.similarity).slice(0, k);
}

function norm(v: Float32Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}
