import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { EngineConfig } from '@clipguard/config';
import { DEFAULT_IMAGE_LIMITS, type PreprocessedImage } from '../image/preprocess';
import { ClipError } from '../errors';
import { PreprocessPool } from '../image/preprocess-pool';
import { loadModelDirectory, type ModelDirectory } from '../model/model-directory';
import { cutToLongest, type ClipTokenizer } from '../tokenizer/clip-tokenizer';
import { loadTokenizer } from '../tokenizer/load-tokenizer';
import { normalizedRows } from '../vector';
import { MicroBatcher } from './micro-batcher';
import type { WireTensor, WireValueMetadata } from './session-protocol';
import { checkTextGraph, checkVisionGraph, type TextGraphInputs } from './towers';
import { WorkerSession } from './worker-session';

export interface ModelInfo {
  modelId: string;
  name: string;
  variant: string;
  dir: string;
  logitScale: number;
  embedDim: number;
  imageSize: number;
}

export interface ImageEmbedding {
  sha256: string;
  format: PreprocessedImage['format'];
  width: number;
  height: number;
  frameCount: number;
  frameIndices: number[];
  /** One L2-normalised embedding per sampled frame. */
  embeddings: Float32Array[];
  cached: boolean;
}

export interface EngineHooks {
  onImageBatch?: (size: number, ms: number) => void;
  onTextBatch?: (size: number, ms: number) => void;
}

export type EngineOptions = Omit<EngineConfig, 'modelDir' | 'variant'> & {
  /** Threads preprocessing images off the event loop; 0 or unset: one per core, at most four. */
  preprocessThreads?: number;
};

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  executionProviders: ['cpu'],
  intraOpThreads: 0,
  interOpThreads: 1,
  visionSessions: 1,
  intraOpSpinning: true,
  maxBatch: 32,
  maxWaitMs: 5,
  imageCacheSize: 10_000,
  textCacheSize: 10_000,
  maxTextLength: 2000,
  limits: DEFAULT_IMAGE_LIMITS,
};

/**
 * The CLIP engine: one ONNX session per tower, each in a worker thread behind a micro-batcher,
 * with L2-normalised outputs and LRU caches keyed by model id and content.
 */
export class ClipEngine {
  private readonly imageCache: LRUCache<string, ImageEmbedding>;
  private readonly textCache: LRUCache<string, Float32Array>;
  /** Concurrent requests for the same content share one encoding. */
  private readonly imagesInFlight = new Map<string, Promise<ImageEmbedding>>();
  private readonly imageBatcher: MicroBatcher<Float32Array, Float32Array>;
  private readonly textBatcher: MicroBatcher<string, Float32Array>;
  /** Vision sessions not running a batch; the batcher never runs more batches than there are sessions. */
  private readonly idleVision: WorkerSession[];
  /** Decoding and the Pillow-exact resamplers run here, never on the caller's event loop; started lazily. */
  private preprocessing: PreprocessPool | undefined;
  private closed = false;
  readonly info: ModelInfo;

  private constructor(
    readonly model: ModelDirectory,
    readonly tokenizer: ClipTokenizer,
    private readonly vision: WorkerSession[],
    private readonly text: WorkerSession,
    private readonly textInputs: TextGraphInputs,
    readonly options: EngineOptions,
    hooks: EngineHooks,
  ) {
    const m = model.manifest;
    this.info = {
      modelId: model.modelId,
      name: m.name,
      variant: model.variant,
      dir: model.dir,
      logitScale: m.logit_scale,
      embedDim: m.embed_dim,
      imageSize: m.image_size,
    };
    const batching = { maxBatch: options.maxBatch, maxWaitMs: options.maxWaitMs };
    this.idleVision = [...vision];
    this.imageBatcher = new MicroBatcher(
      (xs) => this.runVision(xs),
      { ...batching, concurrency: vision.length },
      hooks.onImageBatch,
    );
    this.textBatcher = new MicroBatcher((xs) => this.runText(xs), batching, hooks.onTextBatch);
    this.imageCache = new LRUCache({ max: Math.max(1, options.imageCacheSize) });
    this.textCache = new LRUCache({ max: Math.max(1, options.textCacheSize) });
  }

  static async open(
    config: Pick<EngineConfig, 'modelDir' | 'variant'> & Partial<EngineOptions>,
    hooks: EngineHooks = {},
  ): Promise<ClipEngine> {
    const options = { ...DEFAULT_ENGINE_OPTIONS, ...config };
    const model = await loadModelDirectory(config.modelDir, config.variant);
    const tokenizer = loadTokenizer(config.modelDir, options.maxTextLength);
    const sessionData = {
      executionProviders: options.executionProviders,
      intraOpThreads: options.intraOpThreads,
      interOpThreads: options.interOpThreads,
      intraOpSpinning: options.intraOpSpinning,
    };
    const visionCount = Math.max(1, options.visionSessions);
    const opened = await Promise.allSettled([
      WorkerSession.open({ ...sessionData, modelPath: model.textPath }),
      ...Array.from({ length: visionCount }, () =>
        WorkerSession.open({ ...sessionData, modelPath: model.visionPath }),
      ),
    ]);
    const sessions = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failure = opened.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) {
      await Promise.all(sessions.map((s) => s.close()));
      throw failure.reason;
    }
    const [text, ...vision] = sessions;
    const shapes = {
      embedDim: model.manifest.embed_dim,
      imageSize: model.manifest.image_size,
      contextLength: model.manifest.context_length,
    };
    try {
      checkVisionGraph(model.visionPath, vision[0].inputs, vision[0].outputs, shapes);
      const mask = checkTextGraph(model.textPath, text.inputs, text.outputs, shapes);
      return new ClipEngine(model, tokenizer, vision, text, mask, options, hooks);
    } catch (err) {
      await Promise.all(sessions.map((s) => s.close()));
      throw err;
    }
  }

  /** The graphs' inputs and outputs as ONNX Runtime reports them. */
  graphs(): Record<
    'vision' | 'text',
    { path: string; inputs: WireValueMetadata[]; outputs: WireValueMetadata[] }
  > {
    return {
      vision: {
        path: this.model.visionPath,
        inputs: this.vision[0].inputs,
        outputs: this.vision[0].outputs,
      },
      text: { path: this.model.textPath, inputs: this.text.inputs, outputs: this.text.outputs },
    };
  }

  get modelId(): string {
    return this.model.modelId;
  }

  /** Bytes → pixel tensors, computed on the preprocessing threads. */
  async preprocess(bytes: Uint8Array, frames = 1): Promise<PreprocessedImage> {
    if (this.closed) throw new ClipError('ENGINE_CLOSED', 'engine is closed');
    this.preprocessing ??= new PreprocessPool(this.options.preprocessThreads || undefined);
    return this.preprocessing.preprocess(bytes, this.model.preprocess, this.options.limits, { frames });
  }

  /** Preprocessed CHW tensors → unit embeddings, batched with every other concurrent caller. */
  embedImageTensors(tensors: readonly Float32Array[]): Promise<Float32Array[]> {
    return this.imageBatcher.submit(tensors);
  }

  /**
   * Image bytes → one unit embedding per sampled frame; repeated content comes from the cache. A caller
   * that has hashed the bytes already passes their `sha256` (hex), so that a large upload is hashed once.
   */
  async embedImage(
    bytes: Uint8Array,
    options: { frames?: number; sha256?: string } = {},
  ): Promise<ImageEmbedding> {
    const frames = options.frames ?? 1;
    const sha256 = options.sha256 ?? createHash('sha256').update(bytes).digest('hex');
    const key = `${this.modelId}:${sha256}:${frames}`;
    const hit = this.imageCache.get(key);
    if (hit) return { ...hit, cached: true };
    const running = this.imagesInFlight.get(key);
    if (running) return { ...(await running), cached: true };
    const work = this.encodeImage(bytes, sha256, frames);
    this.imagesInFlight.set(key, work);
    try {
      const result = await work;
      this.imageCache.set(key, result);
      return result;
    } finally {
      this.imagesInFlight.delete(key);
    }
  }

  private async encodeImage(bytes: Uint8Array, sha256: string, frames: number): Promise<ImageEmbedding> {
    const pre = await this.preprocess(bytes, frames);
    const embeddings = await this.embedImageTensors(pre.pixels);
    return {
      sha256,
      format: pre.format,
      width: pre.width,
      height: pre.height,
      frameCount: pre.frameCount,
      frameIndices: pre.frameIndices,
      embeddings,
      cached: false,
    };
  }

  /** Texts → unit embeddings, cached per (model, text). */
  async embedTexts(texts: readonly string[]): Promise<Float32Array[]> {
    const out = new Array<Float32Array>(texts.length);
    const missing: number[] = [];
    texts.forEach((t, i) => {
      const hit = this.textCache.get(`${this.modelId}:${t}`);
      if (hit) out[i] = hit;
      else missing.push(i);
    });
    if (missing.length > 0) {
      // Tokenise up front so a text that is too long fails its caller alone, before batching.
      for (const i of missing) this.tokenizer.encode(texts[i]);
      const fresh = await this.textBatcher.submit(missing.map((i) => texts[i]));
      missing.forEach((i, j) => {
        out[i] = fresh[j];
        this.textCache.set(`${this.modelId}:${texts[i]}`, fresh[j]);
      });
    }
    return out;
  }

  /** Finishes queued and running batches, then stops the session and preprocessing threads. */
  async close(): Promise<void> {
    this.closed = true;
    await this.preprocessing?.close();
    await Promise.all([this.imageBatcher.drain(), this.textBatcher.drain()]);
    await Promise.all([...this.vision, this.text].map((s) => s.close()));
  }

  private async runVision(tensors: Float32Array[]): Promise<Float32Array[]> {
    const size = this.info.imageSize;
    const plane = 3 * size * size;
    const batch = new Float32Array(tensors.length * plane);
    tensors.forEach((t, i) => batch.set(t, i * plane));
    const session = this.idleVision.pop();
    if (!session) throw new Error('no idle vision session: batcher concurrency exceeds the sessions');
    let out: Record<string, WireTensor>;
    try {
      out = await session.run({
        pixel_values: { type: 'float32', data: batch, dims: [tensors.length, 3, size, size] },
      });
    } finally {
      this.idleVision.push(session);
    }
    return normalizedRows(out.image_embeds.data as Float32Array, tensors.length, this.info.embedDim);
  }

  private async runText(texts: string[]): Promise<Float32Array[]> {
    const context = this.model.manifest.context_length;
    const tokens = this.tokenizer.tokenize(texts, context);
    const { inputIds, attentionMask } = this.textInputs.dynamicLength ? cutToLongest(tokens) : tokens;
    const length = inputIds[0].length;
    const toTensor = (rows: number[][]) => ({
      type: 'int64' as const,
      data: BigInt64Array.from(rows.flat(), (v) => BigInt(v)),
      dims: [rows.length, length],
    });
    const feeds: Record<string, WireTensor> = { input_ids: toTensor(inputIds) };
    if (this.textInputs.mask) feeds.attention_mask = toTensor(attentionMask);
    const out = await this.text.run(feeds);
    return normalizedRows(out.text_embeds.data as Float32Array, texts.length, this.info.embedDim);
  }
}
