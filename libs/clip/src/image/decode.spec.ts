import sharp from 'sharp';
import { ClipError } from '../errors';
import { classifySharpError } from './decode';
import { DEFAULT_IMAGE_LIMITS, preprocessImage } from './preprocess';
import { CLIP_PREPROCESS } from './preprocess-config';
import { iccpChunk, rgbPng } from './spec-support';

describe("libvips' errors as typed errors", () => {
  it('calls a pixel-limit refusal too large, keeping the cause', () => {
    const cause = new Error('Input image exceeds pixel limit');
    const e = classifySharpError(cause, 'png');
    expect(e).toBeInstanceOf(ClipError);
    expect(e).toMatchObject({ code: 'IMAGE_TOO_LARGE', message: 'Input image exceeds pixel limit' });
    expect(e.cause).toBe(cause);
  });

  it('calls an unknown format unsupported, unless the magic bytes named a format libvips reads', () => {
    const cause = new Error('Input buffer contains unsupported image format');
    const unsupported = classifySharpError(cause);
    expect(unsupported).toMatchObject({
      code: 'IMAGE_UNSUPPORTED',
      message: 'Input buffer contains unsupported image format',
    });
    expect(unsupported.cause).toBe(cause);
    expect(classifySharpError(cause, 'gif')).toMatchObject({
      code: 'IMAGE_CORRUPT',
      message: 'cannot decode image: Input buffer contains unsupported image format',
    });
  });

  it("reports everything else as corrupt, with libvips' first line only", () => {
    const cause = new Error('VipsJpeg: Premature end of input file\nVipsJpeg: out of order read at line 4');
    const corrupt = classifySharpError(cause, 'jpeg');
    expect(corrupt).toMatchObject({
      code: 'IMAGE_CORRUPT',
      message: 'cannot decode image: VipsJpeg: Premature end of input file',
    });
    expect(corrupt.cause).toBe(cause);
    expect(classifySharpError('no more memory')).toMatchObject({
      code: 'IMAGE_CORRUPT',
      message: 'cannot decode image: no more memory',
    });
  });
});

describe('colour profiles', () => {
  it('ignores an embedded ICC profile, as Pillow does: the stored values are the pixels', async () => {
    // a wide-gamut (Display P3) profile: applying it would move (200, 100, 50) by many steps in sRGB
    const p3 = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
      .withIccProfile('p3')
      .png()
      .toBuffer();
    const profile = (await sharp(p3).metadata()).icc;
    expect(profile?.length).toBeGreaterThan(100);
    const png = rgbPng(8, 8, [200, 100, 50], [iccpChunk(profile ?? new Uint8Array())]);
    expect((await sharp(png).metadata()).hasProfile).toBe(true);
    const { pixels } = await preprocessImage(png, CLIP_PREPROCESS, DEFAULT_IMAGE_LIMITS);
    const { mean, std } = CLIP_PREPROCESS;
    const at = (c: number) =>
      Math.round((pixels[0][c * 224 * 224 + 112 * 224 + 112] * std[c] + mean[c]) * 255);
    expect([at(0), at(1), at(2)]).toEqual([200, 100, 50]);
  });
});
