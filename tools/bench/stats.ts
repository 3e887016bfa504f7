/** Latency percentiles by the nearest-rank method (what load-testing tools report). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarizeLatencies(ms: readonly number[]): LatencySummary {
  return {
    count: ms.length,
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    p99: percentile(ms, 99),
    max: ms.length ? Math.max(...ms) : NaN,
  };
}

/**
 * Steady-state rate from completion times: items completed after the first `skip` fraction, over the
 * time they took. Start-up (model loading, warm-up batches) is excluded, as in any throughput figure.
 * Items arrive in bursts (a batch's images finish together): the burst that opens the span was computed
 * before it, so every item within `burstMs` of the opening time is left out with it.
 */
export function steadyRate(completedAtMs: readonly number[], skip = 0.1, burstMs = 2): number {
  const times = [...completedAtMs].sort((a, b) => a - b);
  if (times.length < 2) return NaN;
  const start = times[Math.min(times.length - 2, Math.floor(times.length * skip))];
  const counted = times.filter((t) => t > start + burstMs).length;
  const span = times[times.length - 1] - start;
  return counted > 0 && span > 0 ? (counted / span) * 1000 : NaN;
}

/** Largest absolute difference between two equally long score lists. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Pair-by-pair ratios of a stage's windows to the limit windows measured right before each. */
export interface PairedRatio {
  ratios: number[];
  /** The reported figure: the median of the pair ratios. */
  median: number;
  min: number;
  max: number;
}

export function pairRatios(stage: readonly number[], limit: readonly number[]): PairedRatio {
  if (stage.length !== limit.length || stage.length === 0)
    throw new Error(`pairs need as many stage as limit windows (got ${stage.length} and ${limit.length})`);
  const ratios = stage.map((s, i) => s / limit[i]);
  return { ratios, median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
}
