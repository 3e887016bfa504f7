/** `bins` equal-width bins over [low, high]: bins + 1 ascending edges. */
export function uniformEdges(bins = 10, low = 0, high = 1): number[] {
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? high : low + ((high - low) * i) / bins));
}

/** Index of the bin [e_i, e_i+1) holding v; the last bin is closed; values outside go to the end bins. */
export function binOf(v: number, edges: readonly number[]): number {
  const last = edges.length - 2;
  let lo = 0;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (v >= edges[mid]) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function histogram(values: Iterable<number>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const v of values) counts[binOf(v, edges)]++;
  return counts;
}
