import sharp from 'sharp';
import { DEFAULT_IMAGE_LIMITS, preprocessImage } from './preprocess';
import { CLIP_PREPROCESS } from './preprocess-config';
import { gifImage, greyRamp, rgbPng, trnsColourKey } from './spec-support';

// Images built so that Pillow's result is known without running it: what `Image.open(f).convert('RGB')` after
// `resize(BICUBIC)` gives for the structure each case names. The expected colours come from those rules.

/** The 8-bit RGB value CLIP's tensor holds at (x, y) of the 224×224 crop, normalisation undone. */
function rgbAt(tensor: Float32Array, x: number, y: number): number[] {
  const { mean, std } = CLIP_PREPROCESS;
  // + 0 turns the -0 of a rounded tiny negative into 0
  return [0, 1, 2].map((c) => Math.round((tensor[c * 224 * 224 + y * 224 + x] * std[c] + mean[c]) * 255) + 0);
}

async function crop(bytes: Uint8Array): Promise<Float32Array> {
  const { pixels } = await preprocessImage(bytes, CLIP_PREPROCESS, DEFAULT_IMAGE_LIMITS);
  return pixels[0];
}

const RED_GREEN_BLUE_WHITE = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255];

describe("a GIF's first frame (mode P, or L for a grey ramp)", () => {
  it('gives transparent pixels the colour of the transparent index, as Pillow does (libvips gives black)', async () => {
    // 2×2: red, transparent (index 2, blue), transparent, green; nearest-neighbour to 224×224: quadrants
    const t = await crop(gifImage(2, 2, RED_GREEN_BLUE_WHITE, [0, 2, 2, 1], 2));
    expect(rgbAt(t, 50, 50)).toEqual([255, 0, 0]);
    expect(rgbAt(t, 170, 50)).toEqual([0, 0, 255]);
    expect(rgbAt(t, 50, 170)).toEqual([0, 0, 255]);
    expect(rgbAt(t, 170, 170)).toEqual([0, 255, 0]);
  });

  it('keeps black pixels black in a GIF without transparency', async () => {
    // index 0 is red: nothing may paint a black pixel with it
    const t = await crop(gifImage(2, 2, [255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [1, 1, 1, 1]));
    for (const [x, y] of [
      [0, 0],
      [112, 112],
      [223, 223],
    ])
      expect(rgbAt(t, x, y)).toEqual([0, 0, 0]);
  });

  it('gives a grey-ramp frame (mode L, resized bicubically) its transparent grey, not black', async () => {
    const t = await crop(gifImage(2, 2, greyRamp(256), [200, 200, 200, 200], 200));
    expect(rgbAt(t, 112, 112)).toEqual([200, 200, 200]);
    expect(rgbAt(t, 0, 223)).toEqual([200, 200, 200]);
  });
});

describe('alpha, as Pillow resizes each mode', () => {
  it('resizes an RGB PNG with a colour key as RGB: the keyed (transparent) colour is kept, not blackened', async () => {
    const t = await crop(rgbPng(8, 8, [200, 100, 50], [trnsColourKey([200, 100, 50])]));
    expect(rgbAt(t, 0, 0)).toEqual([200, 100, 50]);
    expect(rgbAt(t, 112, 112)).toEqual([200, 100, 50]);
  });

  it('resizes LA premultiplied: a transparent pixel does not darken its opaque neighbour', async () => {
    // 2×1 LA: white opaque, black fully transparent. Premultiplied, every sample with any alpha is white
    // again after dividing alpha out; resized straight, the grey would ramp from white to black.
    const la = await sharp(Uint8Array.from([255, 255, 0, 0]), { raw: { width: 2, height: 1, channels: 2 } })
      .png()
      .toBuffer();
    const t = await crop(la);
    for (const x of [0, 56, 112, 150, 200]) {
      const [r, g, b] = rgbAt(t, x, 112);
      expect(r).toBeGreaterThanOrEqual(254);
      expect([g, b]).toEqual([r, r]);
    }
  });
});
