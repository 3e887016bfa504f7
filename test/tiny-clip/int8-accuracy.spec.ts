import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ClipEngine, ClipError, dot } from '@clipguard/clip';
import {
  HELD_OUT,
  SHARED_IMAGES,
  TINY_CLIP_DIR,
  renderTinyClipHeldOut,
  tinyClipZeroShot,
  type HeldOut,
  type ZeroShotResult,
} from '@clipguard/testing';

// The committed int8 variant of the tiny CLIP (tools/quantize) against its fp32 weights, through the engine.
// Thresholds: fp32 scores 99.7% / 100% / 1.000 and the int8 variant made by the tool matches it within a
// hair (docs/benchmarks.md); they leave room for a different CPU's integer kernels, not for a broken
// quantization (scales off by 2× drop the cosines to 0.1–0.6 and shape accuracy to 50%; one scale for
// every column instead of one per column, 0.98).
const MIN_IMAGE_COSINE = 0.995;
const MIN_TEXT_COSINE = 0.995;
const MAX_ACCURACY_LOSS = 0.02;
const MIN_AGREEMENT = 0.97;
// The activations are quantized per tensor, so an image's int8 embedding depends a little on the other
// images of its batch (fp32's does not).
const MIN_BATCH_COSINE = 0.999;

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.gif', '.tif', '.tiff', '.webp']);

async function embedOrCode(engine: ClipEngine, bytes: Buffer): Promise<Float32Array | string> {
  try {
    return (await engine.embedImage(bytes)).embeddings[0];
  } catch (err) {
    if (err instanceof ClipError) return err.code;
    throw err;
  }
}

describe('tiny CLIP int8 variant against fp32', () => {
  let fp32: ClipEngine;
  let int8: ClipEngine;
  let set: HeldOut;
  let a: ZeroShotResult;
  let b: ZeroShotResult;

  beforeAll(async () => {
    fp32 = await ClipEngine.open({ modelDir: TINY_CLIP_DIR, variant: 'fp32', maxBatch: 64 });
    int8 = await ClipEngine.open({ modelDir: TINY_CLIP_DIR, variant: 'int8', maxBatch: 64 });
    set = await renderTinyClipHeldOut();
    a = await tinyClipZeroShot(fp32, set);
    b = await tinyClipZeroShot(int8, set);
  }, 180_000);

  afterAll(async () => {
    await fp32?.close();
    await int8?.close();
  });

  it('has its own model id, so caches, stored embeddings and compiled policies never mix variants', () => {
    expect(int8.modelId).toMatch(/^tiny-clip\/int8@[0-9a-f]{16}$/);
    expect(int8.modelId.split('@')[1]).not.toBe(fp32.modelId.split('@')[1]);
  });

  it('keeps zero-shot shape and colour accuracy within 2 points of fp32, and ≥ 95%', () => {
    console.log(
      `tiny-clip int8 vs fp32 on ${HELD_OUT} held-out images: shape ${(b.shapeAccuracy * 100).toFixed(1)}% vs ${(a.shapeAccuracy * 100).toFixed(1)}%, colour ${(b.colourAccuracy * 100).toFixed(1)}% vs ${(a.colourAccuracy * 100).toFixed(1)}%`,
    );
    expect(b.shapeAccuracy).toBeGreaterThanOrEqual(Math.max(0.95, a.shapeAccuracy - MAX_ACCURACY_LOSS));
    expect(b.colourAccuracy).toBeGreaterThanOrEqual(Math.max(0.95, a.colourAccuracy - MAX_ACCURACY_LOSS));
  });

  it('predicts the same shape and colour as fp32 on ≥ 97% of the held-out images', () => {
    const same = (x: string[], y: string[]) => x.filter((v, i) => v === y[i]).length / x.length;
    const shape = same(a.shapes, b.shapes);
    const colour = same(a.colours, b.colours);
    console.log(
      `tiny-clip int8 agrees with fp32: shape ${(shape * 100).toFixed(1)}%, colour ${(colour * 100).toFixed(1)}%`,
    );
    expect(shape).toBeGreaterThanOrEqual(MIN_AGREEMENT);
    expect(colour).toBeGreaterThanOrEqual(MIN_AGREEMENT);
  });

  it('keeps text→image Recall@1 ≥ 0.9 and within one gallery image of fp32', () => {
    console.log(`tiny-clip int8 Recall@1 ${b.recallAt1.toFixed(3)} vs fp32 ${a.recallAt1.toFixed(3)}`);
    expect(b.recallAt1).toBeGreaterThanOrEqual(Math.max(0.9, a.recallAt1 - 1 / set.combos.length));
  });

  it(`embeds every held-out render and shared image within cosine ${MIN_IMAGE_COSINE} of fp32`, async () => {
    const held = a.imageEmbeddings.map((e, i) => dot(e, b.imageEmbeddings[i]));
    const files = readdirSync(SHARED_IMAGES).filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase()));
    const shared: number[] = [];
    for (const file of files) {
      const bytes = readFileSync(join(SHARED_IMAGES, file));
      const [x, y] = [await embedOrCode(fp32, bytes), await embedOrCode(int8, bytes)];
      // An image the engine refuses (truncated, unsupported) must be refused alike by both variants.
      if (typeof x === 'string' || typeof y === 'string') expect(y).toBe(x);
      else shared.push(dot(x, y));
    }
    const min = (xs: number[]) => Math.min(...xs);
    console.log(
      `tiny-clip int8 vs fp32 image cosine: min ${min(shared).toFixed(5)} over ${shared.length} shared images, min ${min(held).toFixed(5)} over ${held.length} renders`,
    );
    expect(shared.length).toBeGreaterThanOrEqual(10);
    expect(min(shared)).toBeGreaterThanOrEqual(MIN_IMAGE_COSINE);
    expect(min(held)).toBeGreaterThanOrEqual(MIN_IMAGE_COSINE);
  });

  it(`embeds the gallery's queries within cosine ${MIN_TEXT_COSINE} of fp32`, async () => {
    const texts = set.combos.map((c) => `a photo of two ${c.colour} ${c.shape}s`);
    const [x, y] = [await fp32.embedTexts(texts), await int8.embedTexts(texts)];
    const min = Math.min(...x.map((e, i) => dot(e, y[i])));
    console.log(`tiny-clip int8 vs fp32 text cosine: min ${min.toFixed(5)} over ${texts.length} prompts`);
    expect(min).toBeGreaterThanOrEqual(MIN_TEXT_COSINE);
  });

  it(`embeds an image alone and among a batch within cosine ${MIN_BATCH_COSINE} (per-tensor activation scales)`, async () => {
    const tensors = await Promise.all(
      set.images.slice(0, 16).map(async (b) => (await int8.preprocess(b)).pixels[0]),
    );
    let worst = 1;
    for (let i = 0; i < tensors.length; i++) {
      const [alone] = await int8.embedImageTensors([tensors[i]]);
      const batch = await int8.embedImageTensors([tensors[i], ...tensors.filter((_, j) => j !== i)]);
      worst = Math.min(worst, dot(alone, batch[0]));
    }
    console.log(`tiny-clip int8 alone vs in a batch of ${tensors.length}: min cosine ${worst.toFixed(6)}`);
    expect(worst).toBeGreaterThanOrEqual(MIN_BATCH_COSINE);
  });
});
