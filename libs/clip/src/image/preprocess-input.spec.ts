import sharp from 'sharp';
import { animatedGif, pngBombHeader } from '@clipguard/testing';
import { ClipError } from '../errors';
import type { ImageLimits } from '@clipguard/config';
import { decodedPixels, DEFAULT_IMAGE_LIMITS, preprocessImage, type PreprocessOptions } from './preprocess';
import { CLIP_PREPROCESS } from './preprocess-config';

const solid = (width: number, height: number, background: string) =>
  sharp({ create: { width, height, channels: 3, background } });

/** The refusal, or a short failure: a resolved result holds whole tensors, too long for a test's message. */
async function refusal(
  bytes: Uint8Array,
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
  options: PreprocessOptions = {},
): Promise<ClipError> {
  const err = await preprocessImage(bytes, CLIP_PREPROCESS, limits, options).then(
    () => new Error('expected a refusal, the image was preprocessed'),
    (e: unknown) => e,
  );
  if (!(err instanceof ClipError)) throw err instanceof Error ? err : new Error(String(err));
  return err;
}

/** A real 32×32 WebP with alpha (so its header is the extended VP8X) whose canvas is patched to 16384×16384. */
async function webpAnnouncing16384(): Promise<Buffer> {
  const translucent = {
    width: 32,
    height: 32,
    channels: 4 as const,
    background: { r: 0, g: 200, b: 0, alpha: 0.5 },
  };
  const webp = Buffer.from(await sharp({ create: translucent }).webp().toBuffer());
  webp.writeUIntLE(16383, 24, 3);
  webp.writeUIntLE(16383, 27, 3);
  return webp;
}

/** What a result says about its input, without its tensors. */
async function shape(bytes: Uint8Array, limits: ImageLimits, options: PreprocessOptions = {}) {
  const out = await preprocessImage(bytes, CLIP_PREPROCESS, limits, options);
  return { width: out.width, height: out.height, frameCount: out.frameCount, frameIndices: out.frameIndices };
}

describe('what each refusal says', () => {
  it('names the empty file, the byte limit and the formats it reads', async () => {
    expect(await refusal(new Uint8Array(0))).toMatchObject({
      code: 'IMAGE_EMPTY',
      message: 'image is empty (0 bytes)',
    });
    const png = await solid(64, 48, '#c00000').png().toBuffer();
    expect(await refusal(png, { ...DEFAULT_IMAGE_LIMITS, maxBytes: png.length - 1 })).toMatchObject({
      code: 'IMAGE_TOO_LARGE',
      message: `image of ${png.length} bytes exceeds the ${png.length - 1}-byte limit`,
    });
    expect(await refusal(Buffer.from('GIF87 is not quite a GIF'))).toMatchObject({
      code: 'IMAGE_UNSUPPORTED',
      message: 'not a JPEG, PNG, WebP, GIF, TIFF or AVIF image',
    });
  });

  it("refuses a header's pixel count before libvips reads further, with the size and the limit", async () => {
    expect(await refusal(pngBombHeader(30000, 30000))).toMatchObject({
      code: 'IMAGE_TOO_LARGE',
      message: 'image of 30000×30000 pixels exceeds the 40000000-pixel limit',
    });
    const webp = await webpAnnouncing16384();
    expect(webp.toString('latin1', 12, 16)).toBe('VP8X');
    expect(await refusal(webp)).toMatchObject({
      code: 'IMAGE_TOO_LARGE',
      message: 'image of 16384×16384 pixels exceeds the 40000000-pixel limit',
    });
  });
});

describe('headers read before libvips', () => {
  it('calls a PNG too large even where libpng refuses its header outright, and reads a header cut after its size', async () => {
    // libpng refuses widths over 1,000,000 itself: without the header read this would be "corrupt"
    expect(await refusal(pngBombHeader(2_000_000, 100))).toMatchObject({
      code: 'IMAGE_TOO_LARGE',
      message: 'image of 2000000×100 pixels exceeds the 40000000-pixel limit',
    });
    expect(await refusal(pngBombHeader(30000, 30000).subarray(0, 24))).toMatchObject({
      code: 'IMAGE_TOO_LARGE',
    });
    expect(await refusal((await webpAnnouncing16384()).subarray(0, 30))).toMatchObject({
      code: 'IMAGE_TOO_LARGE',
    });
  });

  it('calls a JPEG whose scan data stops early corrupt, from the decode itself', async () => {
    const noise = Buffer.from(Array.from({ length: 64 * 48 * 3 }, (_, i) => (i * 7919) % 251));
    const jpeg = await sharp(noise, { raw: { width: 64, height: 48, channels: 3 } })
      .jpeg()
      .toBuffer();
    expect((await sharp(jpeg.subarray(0, Math.floor(jpeg.length * 0.6))).metadata()).width).toBe(64);
    const err = await refusal(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)));
    expect(err.code).toBe('IMAGE_CORRUPT');
    expect(err.message).toMatch(/^cannot decode image: /);
  });

  it('turns the page for EXIF orientation 5 (transposed) as for 6 to 8', async () => {
    // 120×60 with a red left third: transposed, it shows as 60×120 with red on top
    const base = await sharp({ create: { width: 120, height: 60, channels: 3, background: '#ffffff' } })
      .composite([
        { input: { create: { width: 40, height: 60, channels: 3, background: '#ff0000' } }, left: 0, top: 0 },
      ])
      .png()
      .toBuffer();
    const tagged = await sharp(base).withMetadata({ orientation: 5 }).jpeg({ quality: 100 }).toBuffer();
    const t = (await preprocessImage(tagged, CLIP_PREPROCESS)).pixels[0];
    const green = (x: number, y: number) => t[224 * 224 + y * 224 + x];
    expect(green(112, 5)).toBeLessThan(-1);
    expect(green(112, 220)).toBeGreaterThan(1);
  });
});

describe('limits, at and over', () => {
  it('accepts a file of exactly the byte limit and an image of exactly the pixel limit', async () => {
    const png = await solid(64, 48, '#c00000').png().toBuffer();
    const exact = { ...DEFAULT_IMAGE_LIMITS, maxBytes: png.length, maxInputPixels: 64 * 48 };
    expect(await shape(png, exact)).toMatchObject({ width: 64, height: 48 });
    const jpeg = await solid(64, 48, '#c00000').jpeg().toBuffer();
    expect(await refusal(jpeg, { ...DEFAULT_IMAGE_LIMITS, maxInputPixels: 64 * 48 - 1 })).toMatchObject({
      code: 'IMAGE_TOO_LARGE',
      message: 'image of 64×48 pixels exceeds the 3071-pixel limit',
    });
  });

  it('samples no more frames than the limit allows, and counts a composited frame as all frames before it', async () => {
    const frames = await Promise.all(
      ['#ff0000', '#00ff00', '#0000ff', '#ffffff'].map((c) => solid(10, 10, c).png().toBuffer()),
    );
    const gif = await animatedGif(frames);
    expect(await shape(gif, { ...DEFAULT_IMAGE_LIMITS, maxFrames: 2 }, { frames: 4 })).toMatchObject({
      frameCount: 4,
      frameIndices: [0, 2],
    });
    // without a decoded-pixel limit of its own, the default (10^9) applies
    const noBudget = { ...DEFAULT_IMAGE_LIMITS, maxDecodedPixels: undefined };
    expect((await shape(gif, noBudget, { frames: 4 })).frameIndices).toEqual([0, 1, 2, 3]);
    const tight = { ...DEFAULT_IMAGE_LIMITS, maxDecodedPixels: 999 };
    expect(await refusal(gif, tight, { frames: 4 })).toMatchObject({
      code: 'IMAGE_TOO_MANY_FRAMES',
      message:
        'sampling frames 0, 1, 2, 3 of this 10×10 animation decodes 1000 pixels, over the 999-pixel limit ' +
        '(CLIPGUARD_MAX_DECODED_PIXELS)',
    });
  });

  it('counts every earlier frame for GIF and WebP, and each page alone for TIFF', () => {
    const size = { width: 10, height: 10 };
    expect(decodedPixels('gif', size, [0, 3])).toBe(100 + 400);
    expect(decodedPixels('webp', size, [2])).toBe(300);
    expect(decodedPixels('tiff', size, [0, 3])).toBe(200);
    expect(decodedPixels('png', size, [0])).toBe(100);
  });
});
