export interface PsiBin {
  expected: number;
  actual: number;
  contribution: number;
}

export interface Psi {
  value: number;
  bins: PsiBin[];
}

/**
 * Population stability index of `actual` counts against `expected` (baseline) counts over the same bins:
 * PSI = Σ (aᵢ − eᵢ) · ln(aᵢ / eᵢ) over the bins' shares. An empty bin would make a term infinite, so every
 * bin of both distributions gets `pseudoCount` added before shares are taken (additive smoothing; 0.5 is
 * the Jeffreys prior), which keeps the index finite and shrinks the weight of bins with few counts.
 * pseudoCount 0 gives the plain formula. NaN when either side has no counts.
 */
export function psi(expected: readonly number[], actual: readonly number[], pseudoCount = 0.5): Psi {
  const shares = (counts: readonly number[]) => {
    const total = counts.reduce((a, b) => a + b, 0) + pseudoCount * counts.length;
    return counts.map((c) => (c + pseudoCount) / total);
  };
  const empty = (c: readonly number[]) => c.every((x) => x === 0);
  if (empty(expected) || empty(actual)) return { value: NaN, bins: [] };
  const e = shares(expected);
  const a = shares(actual);
  const bins = e.map((ei, i) => ({
    expected: ei,
    actual: a[i],
    contribution: a[i] === ei ? 0 : (a[i] - ei) * Math.log(a[i] / ei),
  }));
  return { value: bins.reduce((s, b) => s + b.contribution, 0), bins };
}
