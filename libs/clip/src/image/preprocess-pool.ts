import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Piscina } from 'piscina';
// sharp must be loaded by the main thread before any worker thread loads it (sharp's documentation: on
// glibc Linux the shared libraries must outlive the threads).
import 'sharp';
import type { ImageLimits } from '@clipguard/config';
import { ClipError } from '../errors';
import type { PreprocessedImage, PreprocessOptions } from './preprocess';
import type { PreprocessConfig } from './preprocess-config';
import type { PreprocessTask, PreprocessTaskResult } from './preprocess-task';

/** Threads when none are configured: one per core, at most four (libvips threads do the decoding). */
export function defaultPreprocessThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * Image preprocessing on a pool of worker threads (piscina), so the CPU-heavy JavaScript in it never runs
 * on the caller's event loop. Closing waits for the images in flight before the threads are stopped.
 */
export class PreprocessPool {
  private readonly pool: Piscina<PreprocessTask, PreprocessTaskResult>;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(threads = defaultPreprocessThreads()) {
    // Built code runs preprocess.worker.js; tests and the TypeScript CLI run the .ts source through swc.
    const ext = extname(__filename);
    this.pool = new Piscina({
      filename: join(__dirname, `preprocess.worker${ext}`),
      minThreads: 1,
      maxThreads: Math.max(1, threads),
      // Threads past the first stay a minute after their last image rather than starting anew for each burst.
      idleTimeout: 60_000,
      execArgv: ext === '.ts' ? ['--require', '@swc-node/register'] : [],
    });
  }

  get threads(): number {
    return this.pool.maxThreads;
  }

  async preprocess(
    bytes: Uint8Array,
    config: PreprocessConfig,
    limits: ImageLimits,
    options: PreprocessOptions = {},
  ): Promise<PreprocessedImage> {
    if (this.closed) throw new ClipError('ENGINE_CLOSED', 'preprocessing pool is closed');
    // The bytes are copied into the thread (structured clone): the caller keeps its buffer.
    const run = this.pool.run({ bytes, config, limits, options });
    this.inFlight.add(run);
    try {
      const result = await run;
      if (!result.ok) throw new ClipError(result.code, result.message);
      return result.image;
    } finally {
      this.inFlight.delete(run);
    }
  }

  /** Lets the images in flight finish, then stops the threads. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    await this.pool.destroy();
  }
}
