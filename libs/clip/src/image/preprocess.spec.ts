import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { pngBombHeader } from '@clipguard/testing';
import { ClipError } from '../errors';
import {
  DEFAULT_IMAGE_LIMITS,
  preprocessImage,
  resizedSize,
  roundHalfEven,
  sampleFrames,
} from './preprocess';
import { CLIP_PREPROCESS } from './preprocess-config';
import { SHARED_DIR } from '@clipguard/testing';

const SHARED = SHARED_DIR;
const readImage = (name: string) => readFileSync(join(SHARED, 'images', name));

interface PixelCase {
  image: string;
  file: string;
}
const index = JSON.parse(readFileSync(join(SHARED, 'clip/pixels/index.json'), 'utf8')) as {
  images: PixelCase[];
};

function compare(a: Float32Array, b: Float32Array): { cosine: number; mad: number } {
  let dot = 0;
  let na = 0;
  let nb = 0;
  let abs = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
    abs += Math.abs(a[i] - b[i]);
  }
  return { cosine: dot / Math.sqrt(na * nb), mad: abs / a.length };
}

describe('preprocessImage parity with OpenAI reference tensors', () => {
  it.each(index.images.map((c) => [c.image, c] as const))('%s', async (_, c) => {
    const ref = readFileSync(join(SHARED, 'clip/pixels', c.file));
    const expected = new Float32Array(ref.buffer.slice(ref.byteOffset, ref.byteOffset + ref.byteLength));
    const { pixels } = await preprocessImage(readImage(c.image), CLIP_PREPROCESS);
    expect(pixels[0]).toHaveLength(3 * 224 * 224);
    const { cosine, mad } = compare(pixels[0], expected);
    expect(cosine).toBeGreaterThanOrEqual(0.999);
    expect(mad).toBeLessThanOrEqual(0.01);
  });
});

describe('preprocessImage on other inputs', () => {
  it.each([
    'coffee.png',
    'rocket.jpg',
    'camera.png',
    'palette_color.png',
    'chessboard_GRAY_U16.tif',
    'coins.png',
  ])('decodes %s to a finite 3x224x224 tensor', async (name) => {
    const out = await preprocessImage(readImage(name), CLIP_PREPROCESS);
    expect(out.pixels[0]).toHaveLength(3 * 224 * 224);
    expect(out.pixels[0].every(Number.isFinite)).toBe(true);
  });

  it('samples frames of an animated GIF evenly, first frame by default', async () => {
    const gif = readImage('no_time_for_that_tiny.gif');
    const one = await preprocessImage(gif, CLIP_PREPROCESS);
    expect(one.frameCount).toBeGreaterThan(3);
    expect(one.frameIndices).toEqual([0]);
    const three = await preprocessImage(gif, CLIP_PREPROCESS, DEFAULT_IMAGE_LIMITS, { frames: 3 });
    expect(three.frameIndices).toEqual(sampleFrames(one.frameCount, 3));
    expect(three.pixels).toHaveLength(3);
    expect(compare(three.pixels[0], one.pixels[0]).cosine).toBeCloseTo(1, 6);
    expect(compare(three.pixels[1], three.pixels[0]).mad).toBeGreaterThan(0);
  });

  it('reads pages of a multi-page TIFF', async () => {
    const out = await preprocessImage(readImage('multipage.tif'), CLIP_PREPROCESS, DEFAULT_IMAGE_LIMITS, {
      frames: 2,
    });
    expect(out.frameCount).toBeGreaterThanOrEqual(2);
    expect(out.pixels).toHaveLength(2);
  });

  it('applies EXIF orientation before resizing', async () => {
    const base = await sharp({ create: { width: 300, height: 240, channels: 3, background: '#ffffff' } })
      .composite([
        {
          input: { create: { width: 60, height: 240, channels: 3, background: '#ff0000' } },
          left: 0,
          top: 0,
        },
      ])
      .jpeg({ quality: 95 })
      .toBuffer();
    const rotated = await sharp(base).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer();
    const upright = await preprocessImage(base, CLIP_PREPROCESS);
    const turned = await preprocessImage(rotated, CLIP_PREPROCESS);
    // Orientation 6 turns the red left band into a top band. Red pixels have a low green channel.
    const green = (t: Float32Array, x: number, y: number) => t[224 * 224 + y * 224 + x];
    expect(green(upright.pixels[0], 0, 200)).toBeLessThan(-1);
    expect(green(upright.pixels[0], 200, 0)).toBeGreaterThan(1);
    expect(green(turned.pixels[0], 200, 0)).toBeLessThan(-1);
    expect(green(turned.pixels[0], 0, 200)).toBeGreaterThan(1);
  });
});

describe('preprocessImage decodes only the window it needs, in oriented coordinates', () => {
  it('gives an EXIF-rotated enlargement the pixels of the same image stored upright', async () => {
    // 120×60 with a red left third; orientation 6 shows it as 60×120 with red on top (an enlargement).
    const base = await sharp({ create: { width: 120, height: 60, channels: 3, background: '#ffffff' } })
      .composite([
        { input: { create: { width: 40, height: 60, channels: 3, background: '#ff0000' } }, left: 0, top: 0 },
      ])
      .png()
      .toBuffer();
    const tagged = await sharp(base).withMetadata({ orientation: 6 }).jpeg({ quality: 100 }).toBuffer();
    const upright = await sharp(await sharp(base).rotate(90).png().toBuffer())
      .jpeg({ quality: 100 })
      .toBuffer();
    const turned = (await preprocessImage(tagged, CLIP_PREPROCESS)).pixels[0];
    const stored = (await preprocessImage(upright, CLIP_PREPROCESS)).pixels[0];
    expect(compare(turned, stored).mad).toBe(0);
    const green = (t: Float32Array, x: number, y: number) => t[224 * 224 + y * 224 + x];
    expect(green(turned, 112, 5)).toBeLessThan(-1);
    expect(green(turned, 112, 220)).toBeGreaterThan(1);
  });
});

describe('preprocessImage refuses bad input with typed codes', () => {
  const cases: [string, () => Buffer, string][] = [
    ['a truncated JPEG', () => readImage('truncated.jpg'), 'IMAGE_CORRUPT'],
    [
      'random bytes',
      () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)),
      'IMAGE_UNSUPPORTED',
    ],
    [
      'an SVG',
      () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
      'IMAGE_UNSUPPORTED',
    ],
    ['a 0-byte file', () => Buffer.alloc(0), 'IMAGE_EMPTY'],
    ['a 30000x30000 PNG header', () => pngBombHeader(30000, 30000), 'IMAGE_TOO_LARGE'],
  ];
  it.each(cases)('%s', async (_, make, code) => {
    const err = await preprocessImage(make(), CLIP_PREPROCESS).then(
      () => 'preprocessed',
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ClipError);
    expect((err as ClipError).code).toBe(code);
  });

  it('decodes an AVIF whose ftyp names avif only as a compatible brand (major brand mif1)', async () => {
    const avif = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c00000' } })
      .avif({ lossless: true })
      .toBuffer();
    // libheif writes major brand avif with mif1 among the compatible ones; some encoders swap them.
    expect(avif.subarray(4, 12).toString('latin1')).toBe('ftypavif');
    const rebranded = Buffer.from(avif);
    rebranded.write('mif1', 8, 'latin1');
    expect(rebranded.subarray(16, 32).toString('latin1')).toContain('avif');

    const out = await preprocessImage(rebranded, CLIP_PREPROCESS);
    const same = await preprocessImage(avif, CLIP_PREPROCESS);

    // compared as numbers: a failure message printing two tensors would be megabytes
    expect(out.pixels).toHaveLength(1);
    expect(compare(out.pixels[0], same.pixels[0]).mad).toBe(0);
  });

  it('refuses files over the byte limit', async () => {
    const limits = { ...DEFAULT_IMAGE_LIMITS, maxBytes: 100 };
    const code = await preprocessImage(readImage('chelsea.png'), CLIP_PREPROCESS, limits).then(
      () => 'preprocessed',
      (e: { code?: string }) => e.code,
    );
    expect(code).toBe('IMAGE_TOO_LARGE');
  });
});

describe('geometry helpers', () => {
  it('rounds halves to even as Python does', () => {
    expect([0.5, 1.5, 2.5, 113.5, 2.4, -0.5].map((x) => roundHalfEven(x) + 0)).toEqual([0, 2, 2, 114, 2, 0]);
  });
  it('truncates the longer side', () => {
    expect(resizedSize(2162, 762, 224)).toEqual({ width: 635, height: 224 });
    expect(resizedSize(191, 384, 224)).toEqual({ width: 224, height: 450 });
  });
  it('keeps the size when the model does not resize (do_resize false: shortest edge 0)', () => {
    expect(resizedSize(300, 200, 0)).toEqual({ width: 300, height: 200 });
  });
  it('samples frames evenly from the first', () => {
    expect(sampleFrames(10, 3)).toEqual([0, 3, 6]);
    expect(sampleFrames(2, 5)).toEqual([0, 1]);
  });
});
