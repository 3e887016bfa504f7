import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { REPO_ROOT, SHARED_IMAGES } from '@clipguard/testing';
import { DEFAULT_IMAGE_LIMITS, preprocessImage } from './preprocess';
import { CLIP_PREPROCESS } from './preprocess-config';

/** Reference tensors made by Pillow itself (tools/pillow-reference/make_references.py), never by our code. */
const FIXTURES = join(REPO_ROOT, 'test/fixtures/images-pillow');

interface Reference {
  image: string;
  where: 'fixture' | 'shared';
  frame: number;
  mode: string;
  file: string;
}
const references = (JSON.parse(readFileSync(join(FIXTURES, 'index.json'), 'utf8')) as { images: Reference[] })
  .images;

function compare(a: Float32Array, b: Float32Array): { cosine: number; mad: number; max: number } {
  let dot = 0;
  let na = 0;
  let nb = 0;
  let abs = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
    const d = Math.abs(a[i] - b[i]);
    abs += d;
    max = Math.max(max, d);
  }
  return { cosine: dot / Math.sqrt(na * nb), mad: abs / a.length, max };
}

function expected(ref: Reference): Float32Array {
  const raw = gunzipSync(readFileSync(join(FIXTURES, ref.file)));
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

async function ours(ref: Reference): Promise<Float32Array> {
  const bytes = readFileSync(join(ref.where === 'shared' ? SHARED_IMAGES : FIXTURES, ref.image));
  const frames = references.filter((r) => r.image === ref.image).length;
  const out = await preprocessImage(bytes, CLIP_PREPROCESS, DEFAULT_IMAGE_LIMITS, { frames });
  const at = out.frameIndices.indexOf(ref.frame);
  expect(at).toBeGreaterThanOrEqual(0);
  return out.pixels[at];
}

describe("preprocessImage against Pillow's own output (palette, 1-bit, GIF frames, extreme aspect ratios)", () => {
  it.each(references.map((r) => [`${r.image} frame ${r.frame} (mode ${r.mode})`, r] as const))(
    '%s',
    async (_, ref) => {
      const { cosine, mad } = compare(await ours(ref), expected(ref));
      expect(cosine).toBeGreaterThanOrEqual(0.999);
      expect(mad).toBeLessThanOrEqual(0.01);
    },
  );

  // Nearest-neighbour picks source pixels, so palette and 1-bit images match Pillow exactly, not just closely.
  it.each(
    references
      .filter((r) => r.mode === 'P' || r.mode === '1')
      .map((r) => [`${r.image} frame ${r.frame}`, r] as const),
  )('%s is pixel-exact', async (_, ref) => {
    expect(compare(await ours(ref), expected(ref)).max).toBeLessThan(1e-5);
  });
});
