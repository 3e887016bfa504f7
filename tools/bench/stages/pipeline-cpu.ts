import { imagesByBatchSize, inferenceCpuMs, type Histogram } from '../inference-cost';
import type { LimitWindow } from './limit';

/** Where the pipeline's CPU went, per image decided at saturation. */
export interface PipelineCpu {
  images: number;
  /** CPU ms per image of each process group: the three apps, PostgreSQL's backends, Redis. */
  msPerImage: Record<string, number>;
  /** The bench's own process (load generator, upload server, callback receiver): not counted. */
  benchMsPerImage: number;
  /** ONNX Runtime's share of the clip-worker, estimated from the limit (see inference-cost.ts). */
  inferenceMsPerImage: number;
  /** Every process's CPU less inference: the figure the pipeline's own work is judged by. */
  outsideInferenceMsPerImage: number;
  /** The estimate's basis: images run at each batch size and the limit's CPU per image there. */
  inferenceBasis: { batch: number; images: number; cpuMsPerImage: number }[];
}

/**
 * The CPU account of the saturation windows. The clip-worker's inference threads cannot be told apart
 * from its other threads in /proc (all are "node"), so its inference CPU is the images it ran at each
 * batch size times the CPU per image of raw `session.run` at that size, measured by the limit in the
 * same layout right after the windows.
 */
export async function accountCpu(o: {
  cpuMs: Record<string, number>;
  benchCpuMs: number;
  images: number;
  batches: Histogram;
  maxBatch: number;
  costAt: (batch: number) => Promise<LimitWindow>;
}): Promise<PipelineCpu> {
  const rows = imagesByBatchSize(o.batches, o.maxBatch);
  const cost = new Map<number, number>();
  for (const r of rows) cost.set(r.batch, (await o.costAt(r.batch)).cpuMsPerImage);
  const inference = inferenceCpuMs(rows, cost);
  const total = Object.values(o.cpuMs).reduce((a, b) => a + b, 0);
  const perImage = (ms: number) => ms / o.images;
  return {
    images: o.images,
    msPerImage: Object.fromEntries(Object.entries(o.cpuMs).map(([k, v]) => [k, perImage(v)])),
    benchMsPerImage: perImage(o.benchCpuMs),
    inferenceMsPerImage: perImage(inference),
    outsideInferenceMsPerImage: perImage(total - inference),
    inferenceBasis: rows.map((r) => ({ ...r, cpuMsPerImage: cost.get(r.batch) ?? NaN })),
  };
}
