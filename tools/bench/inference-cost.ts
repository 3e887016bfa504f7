// Pure: how much of the clip-worker's CPU went to ONNX Runtime, estimated from its encoder batch-size
// histogram and the CPU per image the limit measured at each batch size in the same layout.

/** A Prometheus histogram as scraped: cumulative bucket counts by upper bound. */
export interface Histogram {
  buckets: { le: number; count: number }[];
  sum: number;
  count: number;
}

export function parseHistogram(metrics: string, name: string): Histogram {
  const buckets: { le: number; count: number }[] = [];
  let sum = NaN;
  let count = NaN;
  for (const line of metrics.split('\n')) {
    const bucket = new RegExp(`^${name}_bucket\\{(?:[^}]*,)?le="([^"]+)"[^}]*\\} (\\S+)$`).exec(line);
    if (bucket)
      buckets.push({ le: bucket[1] === '+Inf' ? Infinity : Number(bucket[1]), count: Number(bucket[2]) });
    const total = new RegExp(`^${name}_(sum|count)(?:\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (total?.[1] === 'sum') sum = Number(total[2]);
    if (total?.[1] === 'count') count = Number(total[2]);
  }
  if (!buckets.length || Number.isNaN(sum) || Number.isNaN(count))
    throw new Error(`no histogram ${name} in the metrics`);
  return { buckets: buckets.sort((a, b) => a.le - b.le), sum, count };
}

export function histogramDelta(before: Histogram, after: Histogram): Histogram {
  return {
    buckets: after.buckets.map((b) => ({
      le: b.le,
      count: b.count - (before.buckets.find((x) => x.le === b.le)?.count ?? 0),
    })),
    sum: after.sum - before.sum,
    count: after.count - before.count,
  };
}

/**
 * Images run at each batch size. A bucket (lo, hi] stands for batches of min(hi, maxBatch) images; the
 * counts are then scaled so that they add up to the histogram's sum, the exact number of images.
 */
export function imagesByBatchSize(h: Histogram, maxBatch: number): { batch: number; images: number }[] {
  const rows: { batch: number; images: number }[] = [];
  let previous = 0;
  for (const b of h.buckets) {
    const batches = b.count - previous;
    previous = b.count;
    if (batches <= 0) continue;
    const batch = Math.min(b.le, maxBatch);
    const row = rows.find((r) => r.batch === batch);
    if (row) row.images += batches * batch;
    else rows.push({ batch, images: batches * batch });
  }
  const approx = rows.reduce((s, r) => s + r.images, 0);
  return rows.map((r) => ({ batch: r.batch, images: approx ? (r.images * h.sum) / approx : 0 }));
}

/** Estimated inference CPU ms: images at each batch size × the limit's CPU per image at that size. */
export function inferenceCpuMs(
  rows: readonly { batch: number; images: number }[],
  cpuMsPerImageAt: ReadonlyMap<number, number>,
): number {
  return rows.reduce((ms, r) => {
    const cost = cpuMsPerImageAt.get(r.batch);
    if (cost === undefined) throw new Error(`no limit measurement at batch ${r.batch}`);
    return ms + r.images * cost;
  }, 0);
}
