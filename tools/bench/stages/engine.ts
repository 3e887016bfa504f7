import { ClipEngine } from '@clipguard/clip';
import type { ModelVariant } from '@clipguard/config';
import { alternate, type PairedRun } from '../paired';
import { median } from '../stats';
import { engineLayout, type EngineLayout, type LimitPoint, type LimitRunner } from './limit';

export interface EngineResult {
  variant: ModelVariant;
  config: EngineLayout & {
    maxWaitMs: number;
    callers: number;
  };
  /** Median of the windows' rates. */
  imagesPerSecond: number;
  images: number;
  meanBatch: number;
  paired: PairedRun;
}

/**
 * `embedImageTensors` through the micro-batcher and the session threads, from preprocessed tensors,
 * with many concurrent callers of one image each (the way the worker's jobs call it), in windows that
 * alternate with limit windows of the same layout and batch.
 */
export async function measureEngine(options: {
  modelDir: string;
  variant: ModelVariant;
  layout: LimitPoint;
  limit: LimitRunner;
  /** Image files' bytes: preprocessed once, before the timing. */
  images: Uint8Array[];
  callers: number;
  windows: number;
  windowMs: number;
  log: (line: string) => void;
}): Promise<EngineResult> {
  const { layout } = options;
  const batches: number[] = [];
  const config = {
    ...engineLayout(layout),
    maxWaitMs: 5,
    callers: options.callers,
  };
  const engine = await ClipEngine.open(
    { modelDir: options.modelDir, variant: options.variant, ...config },
    { onImageBatch: (size) => batches.push(size) },
  );
  try {
    const tensors = await Promise.all(
      options.images.map(async (b) => (await engine.preprocess(b)).pixels[0]),
    );
    // Warm-up: one batch per session, outside the timing.
    await engine.embedImageTensors(
      Array.from({ length: layout.batch * layout.sessions }, (_, i) => tensors[i % tensors.length]),
    );
    batches.length = 0;
    let images = 0;
    const window = async () => {
      let done = 0;
      const started = performance.now();
      const caller = async (offset: number) => {
        for (let i = offset; performance.now() - started < options.windowMs; i += options.callers) {
          await engine.embedImageTensors([tensors[i % tensors.length]]);
          done++;
        }
      };
      await Promise.all(Array.from({ length: options.callers }, (_, c) => caller(c)));
      images += done;
      return done / ((performance.now() - started) / 1000);
    };
    const paired = await alternate({
      windows: options.windows,
      limit: () => options.limit.window(layout.batch, options.windowMs),
      stage: window,
      log: options.log,
      name: `engine ${options.variant}`,
    });
    return {
      variant: options.variant,
      config,
      imagesPerSecond: median(paired.stage),
      images,
      meanBatch: batches.reduce((a, b) => a + b, 0) / Math.max(1, batches.length),
      paired,
    };
  } finally {
    await engine.close();
  }
}
