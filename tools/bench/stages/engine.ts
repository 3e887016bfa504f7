import { ClipEngine } from '@clipguard/clip';
import { engineLayout, type EngineLayout, type LimitPoint } from './limit';

export interface EngineResult {
  config: EngineLayout & {
    maxWaitMs: number;
    callers: number;
  };
  imagesPerSecond: number;
  images: number;
  meanBatch: number;
}

/**
 * `embedImageTensors` through the micro-batcher and the session threads, from preprocessed tensors,
 * with many concurrent callers of one image each (the way the worker's jobs call it).
 */
export async function measureEngine(options: {
  modelDir: string;
  layout: LimitPoint;
  /** Image files' bytes: preprocessed once, before the timing. */
  images: Uint8Array[];
  callers: number;
  durationMs: number;
}): Promise<EngineResult> {
  const { layout } = options;
  const batches: number[] = [];
  const config = {
    ...engineLayout(layout),
    maxWaitMs: 5,
    callers: options.callers,
  };
  const engine = await ClipEngine.open(
    { modelDir: options.modelDir, variant: 'fp32', ...config },
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
    const started = performance.now();
    const caller = async (offset: number) => {
      for (let i = offset; performance.now() - started < options.durationMs; i += options.callers) {
        await engine.embedImageTensors([tensors[i % tensors.length]]);
        images++;
      }
    };
    await Promise.all(Array.from({ length: options.callers }, (_, c) => caller(c)));
    const seconds = (performance.now() - started) / 1000;
    return {
      config,
      imagesPerSecond: images / seconds,
      images,
      meanBatch: batches.reduce((a, b) => a + b, 0) / Math.max(1, batches.length),
    };
  } finally {
    await engine.close();
  }
}
