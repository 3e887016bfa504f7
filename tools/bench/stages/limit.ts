import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { median } from '../stats';
import type { LimitWorkerCommand, LimitWorkerData, LimitWorkerMessage } from './limit.worker';

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
  /** The chosen point's fresh measurements (their median is `best.imagesPerSecond`). */
  repeats: number[];
}

export interface LimitWindow {
  imagesPerSecond: number;
  /** CPU time of the whole bench process (all session threads) per image in the window. */
  cpuMsPerImage: number;
}

/** The layouts worth trying on `cores` cores: every split of the cores into equal sessions. */
export function layouts(cores: number): Layout[] {
  const out: Layout[] = [];
  for (let sessions = 1; sessions <= cores; sessions++)
    if (cores % sessions === 0) out.push({ sessions, threads: cores / sessions });
  return out;
}

/** One worker thread holding one session; messages in order, one reply per command. */
class SessionThread {
  private readonly worker: Worker;
  private readonly replies: LimitWorkerMessage[] = [];
  private waiting: ((m: LimitWorkerMessage) => void) | undefined;
  private failure: Error | undefined;
  readonly exited: Promise<number>;

  constructor(data: LimitWorkerData) {
    const ext = extname(__filename);
    this.worker = new Worker(join(__dirname, `limit.worker${ext}`), {
      workerData: data,
      execArgv: ext === '.ts' ? ['--require', '@swc-node/register'] : [],
    });
    this.worker.on('message', (m: LimitWorkerMessage) => this.deliver(m));
    this.worker.on('error', (err) => this.deliver({ type: 'error', message: err.message }));
    this.exited = new Promise((resolve) => this.worker.once('exit', resolve));
  }

  private deliver(m: LimitWorkerMessage): void {
    if (m.type === 'error') this.failure = new Error(`limit worker: ${m.message}`);
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w(m);
    } else this.replies.push(m);
  }

  async reply(): Promise<LimitWorkerMessage> {
    const m = this.replies.shift() ?? (await new Promise<LimitWorkerMessage>((r) => (this.waiting = r)));
    if (m.type === 'error' || this.failure) throw this.failure ?? new Error('limit worker failed');
    return m;
  }

  send(c: LimitWorkerCommand): void {
    this.worker.postMessage(c);
  }
}

/**
 * Raw `session.run` of the vision graph on a prepared batch in worker threads, nothing else: no decoding,
 * no copies, no batching logic. The sessions stay loaded between windows, so a limit window can sit right
 * before each window of a stage (the limit measured adjacent to what it divides).
 */
export class LimitRunner {
  private constructor(
    private readonly threads: SessionThread[],
    readonly layout: Layout,
  ) {}

  static async start(modelPath: string, layout: Layout, imageSize: number): Promise<LimitRunner> {
    const threads = Array.from(
      { length: layout.sessions },
      () => new SessionThread({ modelPath, threads: layout.threads, imageSize }),
    );
    const runner = new LimitRunner(threads, layout);
    try {
      await Promise.all(threads.map((t) => t.reply())); // 'ready'
    } catch (err) {
      await runner.close();
      throw err;
    }
    return runner;
  }

  /** One window: every session warms up at `batch`, then all time `durationMs` of runs together. */
  async window(batch: number, durationMs: number): Promise<LimitWindow> {
    for (const t of this.threads) t.send({ type: 'warm', batch });
    await Promise.all(this.threads.map((t) => t.reply()));
    const cpu = process.cpuUsage();
    for (const t of this.threads) t.send({ type: 'go', batch, durationMs });
    const results = await Promise.all(this.threads.map((t) => t.reply()));
    const used = process.cpuUsage(cpu);
    let images = 0;
    let rate = 0;
    for (const r of results) {
      if (r.type !== 'result') throw new Error(`limit worker answered ${r.type} to a window`);
      images += r.images;
      rate += (r.images / r.ms) * 1000;
    }
    return { imagesPerSecond: rate, cpuMsPerImage: (used.user + used.system) / 1000 / images };
  }

  /** Lets every session release and its thread exit on its own (never terminate() a running session). */
  async close(): Promise<void> {
    for (const t of this.threads) t.send({ type: 'stop' });
    const codes = await Promise.all(this.threads.map((t) => t.exited));
    if (codes.some((c) => c !== 0)) throw new Error(`limit workers exited with ${codes.join(', ')}`);
  }
}

/** Opens a runner, runs `work` with it and always closes it. */
export async function withLimitRunner<T>(
  modelPath: string,
  layout: Layout,
  imageSize: number,
  work: (runner: LimitRunner) => Promise<T>,
): Promise<T> {
  const runner = await LimitRunner.start(modelPath, layout, imageSize);
  try {
    return await work(runner);
  } finally {
    await runner.close();
  }
}

/**
 * The hardware limit's sweep over batch sizes and session/thread layouts; the best point is measured
 * `repeats` more times and their median is the headline limit (the largest of many noisy points overstates
 * it). Ratios are not divided by this figure but by limit windows adjacent to each stage's windows.
 */
export async function measureLimit(options: {
  modelPath: string;
  imageSize: number;
  cores: number;
  /** Default: every split of the cores. */
  layouts?: Layout[];
  batches: number[];
  durationMs: number;
  /** Fresh measurements of the best point (0: the sweep's own figure stands). */
  repeats: number;
  log: (line: string) => void;
}): Promise<LimitResult> {
  const sweep: LimitPoint[] = [];
  for (const layout of options.layouts ?? layouts(options.cores)) {
    await withLimitRunner(options.modelPath, layout, options.imageSize, async (runner) => {
      for (const batch of options.batches) {
        const { imagesPerSecond } = await runner.window(batch, options.durationMs);
        sweep.push({ ...layout, batch, imagesPerSecond });
        options.log(
          `  limit: ${layout.sessions} session(s) × ${layout.threads} thread(s), batch ${batch}: ${imagesPerSecond.toFixed(1)} images/s`,
        );
      }
    });
  }
  const top = sweep.reduce((a, b) => (b.imagesPerSecond > a.imagesPerSecond ? b : a));
  if (options.repeats === 0) return { best: top, sweep, repeats: [top.imagesPerSecond] };
  const repeats = await withLimitRunner(options.modelPath, top, options.imageSize, async (runner) => {
    const out: number[] = [];
    for (let i = 0; i < options.repeats; i++)
      out.push((await runner.window(top.batch, options.durationMs)).imagesPerSecond);
    return out;
  });
  const best = { ...top, imagesPerSecond: median(repeats) };
  options.log(
    `  limit: chosen point re-measured ${repeats.map((r) => r.toFixed(1)).join(', ')}: median ${best.imagesPerSecond.toFixed(1)} images/s`,
  );
  return { best, sweep, repeats };
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
