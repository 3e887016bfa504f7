import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { REPO_ROOT } from '@clipguard/testing';
import { DEFAULT_IMAGE_LIMITS, preprocessImage } from './preprocess';
import { CLIP_PREPROCESS } from './preprocess-config';

/** Reference tensors made by Pillow itself (tools/pillow-reference/make_references.py), never by our code. */
const FIXTURES = join(REPO_ROOT, 'test/fixtures/images-pillow');
const references = (
  JSON.parse(readFileSync(join(FIXTURES, 'index.json'), 'utf8')) as {
    images: { image: string; frame: number; mode: string; file: string }[];
  }
).images;

// Frames whose shorter side is under 224 and whose mode Pillow resizes bicubically: enlarged by our own
// resampler (pil-bicubic.ts), which computes Pillow's fixed-point arithmetic, so they match to the last bit.
// Reductions are libvips' and match closely, not exactly (preprocess-pillow.spec.ts).
const ENLARGED = [
  'rgb-1x1500.png',
  'rgb-1500x1.png',
  'l-1x4000.png',
  'l-2x3000.png',
  'rgba-5x900.png',
  'la-80x60.png',
  'rgb-trns-50x40.png',
  'gif-anim-trns-50x30.gif',
];

describe("our bicubic enlargement against Pillow's own output", () => {
  it.each(
    references
      .filter((r) => ENLARGED.includes(r.image) && r.mode !== 'P')
      .map((r) => [`${r.image} frame ${r.frame} (mode ${r.mode})`, r] as const),
  )('%s is pixel-exact', async (_, ref) => {
    const frames = references.filter((r) => r.image === ref.image).length;
    const bytes = readFileSync(join(FIXTURES, ref.image));
    const out = await preprocessImage(bytes, CLIP_PREPROCESS, DEFAULT_IMAGE_LIMITS, { frames });
    expect(out.work.samples).toBeGreaterThan(0);
    const ours = out.pixels[out.frameIndices.indexOf(ref.frame)];
    const raw = gunzipSync(readFileSync(join(FIXTURES, ref.file)));
    const pillow = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    let max = 0;
    for (let i = 0; i < pillow.length; i++) max = Math.max(max, Math.abs(ours[i] - pillow[i]));
    expect(max).toBeLessThan(1e-5);
  });
});
