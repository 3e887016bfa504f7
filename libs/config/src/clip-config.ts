import type { Env } from './env';

export type ModelVariant = 'fp32' | 'fp16' | 'int8';

export interface ImageLimits {
  /** Largest accepted encoded file. */
  maxBytes: number;
  /** Largest accepted width × height, checked from the header before decoding (decompression bombs). */
  maxInputPixels: number;
  /** Most frames sampled from an animated or multi-page image. */
  maxFrames: number;
  /**
   * Most pixels decoded for one image, counting every animation frame decoded to reach the sampled ones
   * (frame i of a GIF or WebP costs i + 1 frames): bounds the work of a long animation in a small file.
   * Unset: 1,000,000,000.
   */
  maxDecodedPixels?: number;
}

export interface EngineConfig {
  modelDir: string;
  variant: ModelVariant;
  /** ONNX Runtime execution providers in order of preference, e.g. ["cuda", "cpu"]. */
  executionProviders: string[];
  /** 0 lets ONNX Runtime choose (one per physical core). */
  intraOpThreads: number;
  interOpThreads: number;
  /**
   * Vision-tower sessions, each in its own thread with `intraOpThreads` threads, running batches side
   * by side. On CPU, two single-threaded sessions beat one two-threaded session (less synchronisation).
   */
  visionSessions: number;
  /** Intra-op threads spin between operators (ONNX Runtime's default). */
  intraOpSpinning: boolean;
  maxBatch: number;
  maxWaitMs: number;
  imageCacheSize: number;
  textCacheSize: number;
  maxTextLength: number;
  limits: ImageLimits;
}

export function engineConfigFromEnv(env: Env): EngineConfig {
  return {
    modelDir: env.CLIPGUARD_MODEL_DIR,
    variant: env.CLIPGUARD_MODEL_VARIANT,
    executionProviders: env.CLIPGUARD_EXECUTION_PROVIDERS,
    intraOpThreads: env.CLIPGUARD_INTRA_OP_THREADS,
    interOpThreads: env.CLIPGUARD_INTER_OP_THREADS,
    visionSessions: env.CLIPGUARD_VISION_SESSIONS,
    intraOpSpinning: env.CLIPGUARD_INTRA_OP_SPINNING,
    maxBatch: env.CLIPGUARD_MAX_BATCH,
    maxWaitMs: env.CLIPGUARD_MAX_WAIT_MS,
    imageCacheSize: env.CLIPGUARD_IMAGE_CACHE_SIZE,
    textCacheSize: env.CLIPGUARD_TEXT_CACHE_SIZE,
    maxTextLength: env.CLIPGUARD_MAX_TEXT_LENGTH,
    limits: {
      maxBytes: env.CLIPGUARD_MAX_IMAGE_BYTES,
      maxInputPixels: env.CLIPGUARD_MAX_INPUT_PIXELS,
      maxFrames: env.CLIPGUARD_MAX_FRAMES,
      maxDecodedPixels: env.CLIPGUARD_MAX_DECODED_PIXELS,
    },
  };
}
