import { ClipEngine } from '@clipguard/clip';
import {
  HELD_OUT,
  TINY_CLIP_DIR,
  renderTinyClipHeldOut,
  tinyClipZeroShot,
  type ZeroShotResult,
} from '@clipguard/testing';

describe('tiny CLIP zero-shot accuracy through the engine', () => {
  let result: ZeroShotResult;

  beforeAll(async () => {
    const engine = await ClipEngine.open({ modelDir: TINY_CLIP_DIR, variant: 'fp32', maxBatch: 64 });
    try {
      result = await tinyClipZeroShot(engine, await renderTinyClipHeldOut());
    } finally {
      await engine.close();
    }
  }, 120_000);

  it('classifies shapes with ≥ 95% accuracy (template ensemble over colours)', () => {
    const acc = result.shapeAccuracy;
    console.log(`tiny-clip shape accuracy: ${(acc * 100).toFixed(1)}% on ${HELD_OUT} held-out images`);
    expect(acc).toBeGreaterThanOrEqual(0.95);
  });

  it('classifies colours with ≥ 95% accuracy (template ensemble over shapes)', () => {
    const acc = result.colourAccuracy;
    console.log(`tiny-clip colour accuracy: ${(acc * 100).toFixed(1)}% on ${HELD_OUT} held-out images`);
    expect(acc).toBeGreaterThanOrEqual(0.95);
  });

  it('retrieves the right image for "a {colour} {shape}" with Recall@1 ≥ 0.9', () => {
    console.log(`tiny-clip text→image Recall@1: ${result.recallAt1.toFixed(3)} over 48 images`);
    expect(result.recallAt1).toBeGreaterThanOrEqual(0.9);
  });
});
