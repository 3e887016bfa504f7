import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { percentile } from '../stats';
import type { LimitWorkerData, LimitWorkerResult } from './limit.worker';

/** Vision sessions side by side, each with its own intra-op threads. */
export interface Layout {
  sessions: number;
  threads: number;
}

export interface LimitPoint extends Layout {
  batch: number;
  imagesPerSecond: number;
}

export interface LimitResult {
  best: LimitPoint;
  sweep: LimitPoint[];
}

/** The layouts worth trying on `cores` cores: every split of the cores into equal sessions. */
export function layouts(cores: number): Layout[] {
  const out: Layout[] = [];
  for (let sessions = 1; sessions <= cores; sessions++)
    if (cores % sessions === 0) out.push({ sessions, threads: cores / sessions });
  return out;
}

function startWorker(data: LimitWorkerData): { worker: Worker; ready: Promise<void> } {
  const ext = extname(__filename);
  const worker = new Worker(join(__dirname, `limit.worker${ext}`), {
    workerData: data,
    execArgv: ext === '.ts' ? ['--require', '@swc-node/register'] : [],
  });
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  return { worker, ready };
}

async function measure(
  modelPath: string,
  layout: Layout,
  batch: number,
  imageSize: number,
  durationMs: number,
): Promise<number> {
  const started = Array.from({ length: layout.sessions }, () =>
    startWorker({ modelPath, threads: layout.threads, batch, imageSize, durationMs }),
  );
  await Promise.all(started.map((s) => s.ready));
  const results = started.map(
    ({ worker }) =>
      new Promise<LimitWorkerResult>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      }),
  );
  started.forEach(({ worker }) => worker.postMessage('go'));
  const done = await Promise.all(results);
  await Promise.all(started.map(({ worker }) => worker.terminate()));
  return done.reduce((sum, r) => sum + (r.images / r.ms) * 1000, 0);
}

/**
 * The hardware limit: raw `session.run` of the vision graph on a prepared batch (no decoding, no
 * copies, no batching logic), swept over batch sizes and session/thread layouts.
 */
export async function measureLimit(options: {
  modelPath: string;
  imageSize: number;
  cores: number;
  /** Default: every split of the cores. */
  layouts?: Layout[];
  batches: number[];
  durationMs: number;
  log: (line: string) => void;
}): Promise<LimitResult> {
  const sweep: LimitPoint[] = [];
  for (const layout of options.layouts ?? layouts(options.cores)) {
    for (const batch of options.batches) {
      const rate = await measure(options.modelPath, layout, batch, options.imageSize, options.durationMs);
      const point = { ...layout, batch, imagesPerSecond: rate };
      sweep.push(point);
      options.log(
        `  limit: ${layout.sessions} session(s) × ${layout.threads} thread(s), batch ${batch}: ${rate.toFixed(1)} images/s`,
      );
    }
  }
  const top = sweep.reduce((a, b) => (b.imagesPerSecond > a.imagesPerSecond ? b : a));
  // The largest of many noisy points overstates its layout (winner's curse): the limit is the median
  // of fresh measurements of the chosen point.
  const repeats: number[] = [];
  for (let i = 0; i < 3; i++)
    repeats.push(await measure(options.modelPath, top, top.batch, options.imageSize, options.durationMs));
  const best = { ...top, imagesPerSecond: percentile(repeats, 50) };
  options.log(
    `  limit: chosen point re-measured ${repeats.map((r) => r.toFixed(1)).join(', ')}: median ${best.imagesPerSecond.toFixed(1)} images/s`,
  );
  return { best, sweep };
}

/** The engine settings a measured point stands for. */
export const engineLayout = (p: LimitPoint) => ({
  visionSessions: p.sessions,
  intraOpThreads: p.threads,
  maxBatch: p.batch,
});
export type EngineLayout = ReturnType<typeof engineLayout>;

/** The same settings as the environment of a `clipguard` or worker process. */
export const layoutEnv = (p: LimitPoint) => ({
  CLIPGUARD_VISION_SESSIONS: String(p.sessions),
  CLIPGUARD_INTRA_OP_THREADS: String(p.threads),
  CLIPGUARD_MAX_BATCH: String(p.batch),
});
