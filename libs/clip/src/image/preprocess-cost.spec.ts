import sharp from 'sharp';
import { DEFAULT_IMAGE_LIMITS, preprocessImage } from './preprocess';
import { CLIP_PREPROCESS } from './preprocess-config';

const CROP = 224 * 224;

/** A PNG of the given size with a gradient along its long side, so the crop has something to resample. */
async function tallPng(width: number, height: number, kind: 'rgb' | 'rgba' | 'grey' | 'palette') {
  const channels = kind === 'rgba' ? 4 : 3;
  const raw = Buffer.alloc(width * height * channels);
  for (let i = 0; i < width * height; i++) {
    const v = Math.floor((i * 251) / (width * height)) % 256;
    raw.set(
      channels === 4 ? [v, 255 - v, (v * 7) % 256, 40 + (v % 200)] : [v, 255 - v, (v * 7) % 256],
      i * channels,
    );
  }
  const image = sharp(raw, { raw: { width, height, channels } });
  if (kind === 'grey') return image.greyscale().png().toBuffer();
  if (kind === 'palette') return image.png({ palette: true, colours: 16 }).toBuffer();
  return image.png().toBuffer();
}

describe('preprocessing cost is bounded by the crop, whatever the aspect ratio', () => {
  // Resized whole, a 1×4000 image is 224×896,000 pixels; only its 224×224 centre survives the crop.
  it.each([
    [1, 4000, 'rgb'],
    [4000, 1, 'rgb'],
    [2, 50_000, 'rgba'],
    [1, 300_000, 'grey'],
    [3, 20_000, 'palette'],
    [1, 40_000, 'palette'],
    [150, 6_000, 'rgb'],
  ] as const)('%i×%i %s', async (width, height, kind) => {
    const bytes = await tallPng(width, height, kind);
    const out = await preprocessImage(bytes, CLIP_PREPROCESS);
    expect(out.pixels[0]).toHaveLength(3 * CROP);
    expect(out.pixels[0].every(Number.isFinite)).toBe(true);
    // Both passes of the separable resize over the crop's rows and columns (plus the taps' few extra
    // source rows), four channels at most; palette images are sampled once per crop pixel.
    if (kind === 'palette') expect(out.work.samples).toBe(CROP * 3);
    else expect(out.work.samples).toBeGreaterThan(CROP);
    expect(out.work.samples).toBeLessThanOrEqual(2.1 * CROP * 4);
  });

  it('leaves reductions to libvips: the JavaScript resampler computes nothing', async () => {
    const out = await preprocessImage(await tallPng(448, 8_000, 'rgb'), CLIP_PREPROCESS);
    expect(out.work.samples).toBe(0);
  });
});

describe('explicit limits', () => {
  it('refuses an animation whose sampled frames would decode too many pixels', async () => {
    const frames = 40;
    const raw = Buffer.alloc(100 * 100 * frames * 3);
    for (let f = 0; f < frames; f++) raw.fill((f * 37) % 256, f * 30_000, (f + 1) * 30_000);
    const gif = await sharp(raw, { raw: { width: 100, height: 100 * frames, channels: 3, pageHeight: 100 } })
      .gif()
      .toBuffer();
    // Frames 0, 10, 20 and 30 decode 1 + 11 + 21 + 31 = 64 frames of 10,000 pixels.
    const limits = { ...DEFAULT_IMAGE_LIMITS, maxDecodedPixels: 639_999 };
    // the code alone: a failure message showing a resolved result would hold whole tensors
    const code = await preprocessImage(gif, CLIP_PREPROCESS, limits, { frames: 4 }).then(
      () => 'preprocessed',
      (e: { code?: string }) => e.code,
    );
    expect(code).toBe('IMAGE_TOO_MANY_FRAMES');
    const enough = { ...limits, maxDecodedPixels: 640_000 };
    const out = await preprocessImage(gif, CLIP_PREPROCESS, enough, { frames: 4 });
    expect(out.frameIndices).toEqual([0, 10, 20, 30]);
  });
});
