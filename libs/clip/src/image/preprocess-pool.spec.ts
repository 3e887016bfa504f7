import { monitorEventLoopDelay } from 'node:perf_hooks';
import { threadId } from 'node:worker_threads';
import sharp from 'sharp';
import { TINY_CLIP_DIR } from '@clipguard/testing';
import { ClipEngine } from '../engine/clip-engine';
import { resampledInThisThread } from './pil-bicubic';

/** 1×N and N×1 RGB PNGs: the shapes that stalled the worker's event loop for 39 s each. */
function extreme(width: number, height: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 37) % 251;
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

describe('preprocessing threads', () => {
  let engine: ClipEngine;
  beforeAll(async () => {
    engine = await ClipEngine.open({ modelDir: TINY_CLIP_DIR, variant: 'fp32', preprocessThreads: 2 });
  });
  afterAll(() => engine.close());

  it('preprocesses extreme images in another thread while the main event loop stays free', async () => {
    const images = await Promise.all([
      extreme(1, 4000),
      extreme(4000, 1),
      extreme(2, 9000),
      extreme(9000, 3),
    ]);
    const before = resampledInThisThread();
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const results = await Promise.all(images.flatMap((b) => [engine.preprocess(b), engine.preprocess(b)]));
    lag.disable();
    for (const r of results) {
      expect(r.work.threadId).not.toBe(threadId);
      expect(r.work.samples).toBeGreaterThan(0);
      expect(r.work.samples).toBeLessThanOrEqual(2.1 * 224 * 224 * 4);
    }
    // Not one sample was resampled on this thread: the event loop only waited. (Its delay is measured for
    // the record, not asserted: wall time on a shared machine proves nothing.)
    expect(resampledInThisThread()).toBe(before);
    expect(lag.count).toBeGreaterThan(0);
  });

  it('hands typed errors back across the thread boundary', async () => {
    await expect(engine.preprocess(Buffer.from('not an image at all'))).rejects.toMatchObject({
      name: 'ClipError',
      code: 'IMAGE_UNSUPPORTED',
    });
  });

  it('gives the same pixels through the pool as on this thread', async () => {
    const bytes = await extreme(40, 90);
    const pooled = await engine.preprocess(bytes);
    const { preprocessImage } = await import('./preprocess');
    const here = await preprocessImage(bytes, engine.model.preprocess, engine.options.limits);
    expect(Array.from(pooled.pixels[0])).toEqual(Array.from(here.pixels[0]));
    expect(here.work.threadId).toBe(threadId);
  });
});
