import type { Metadata } from 'sharp';
import { frameMode, resamplingOf, type PillowMode } from './pillow-mode';
import {
  descriptor,
  gif,
  graphicControl,
  greyRamp,
  pngHeader,
  PIXELS,
  RED_GREEN_BLUE_WHITE,
  screen,
  SIGNATURE,
  tableFlag,
} from './spec-support';

/** What libvips reports, reduced to the fields the mode reads. */
const meta = (m: Partial<Metadata>): Metadata => ({ width: 1, height: 1, ...m }) as Metadata;
const RGB = meta({ space: 'srgb', channels: 3, hasAlpha: false });
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff]);

describe('resampling by mode (Image.resize)', () => {
  it.each<[PillowMode, string]>([
    ['P', 'nearest'],
    ['1', 'nearest'],
    ['LA', 'bicubic-premultiplied'],
    ['RGBA', 'bicubic-premultiplied'],
    ['L', 'bicubic'],
    ['I', 'bicubic'],
    ['RGB', 'bicubic'],
    ['CMYK', 'bicubic'],
  ])('resizes mode %s with %s', (mode, resampling) => {
    expect(resamplingOf(mode)).toBe(resampling);
  });
});

describe('PNG mode from the IHDR (PngImagePlugin._MODES)', () => {
  it.each<[number, number, PillowMode]>([
    [1, 0, '1'],
    [2, 0, 'L'],
    [8, 0, 'L'],
    [16, 0, 'I'],
    [8, 2, 'RGB'],
    [16, 2, 'RGB'],
    [8, 3, 'P'],
    [1, 3, 'P'],
    [8, 4, 'LA'],
    [8, 6, 'RGBA'],
  ])('reads depth %i, colour type %i as %s, whatever libvips says', (depth, colourType, mode) => {
    // libvips expands palettes and reports sRGB with alpha for most of these: the header wins.
    const vips = meta({ space: 'srgb', hasAlpha: true });
    expect(frameMode('png', pngHeader(depth, colourType), vips, 0)).toEqual({ mode });
  });

  it('reads the colour type at byte 25 of a header cut right after it', () => {
    expect(frameMode('png', pngHeader(8, 3, 26), RGB, 0)).toEqual({ mode: 'P' });
    expect(frameMode('png', pngHeader(8, 3, 25), RGB, 0)).toEqual({ mode: 'RGB' });
  });

  it('reads the header even where libvips reports no alpha', () => {
    expect(frameMode('png', pngHeader(8, 6), RGB, 0)).toEqual({ mode: 'RGBA' });
    expect(frameMode('png', pngHeader(8, 4), RGB, 0)).toEqual({ mode: 'LA' });
  });

  it("falls back to libvips' metadata for an unknown colour type", () => {
    expect(frameMode('png', pngHeader(8, 7), RGB, 0)).toEqual({ mode: 'RGB' });
    expect(frameMode('png', pngHeader(8, 5), meta({ space: 'b-w', hasAlpha: true }), 0)).toEqual({
      mode: 'LA',
    });
  });
});

describe("mode from libvips' metadata (JPEG, WebP, TIFF, AVIF)", () => {
  it.each<[string, Partial<Metadata>, PillowMode]>([
    ['CMYK', { space: 'cmyk', hasAlpha: false }, 'CMYK'],
    ['CMYK even with alpha', { space: 'cmyk', hasAlpha: true }, 'CMYK'],
    ['1-bit black and white', { space: 'b-w', bitsPerSample: 1, hasAlpha: false }, '1'],
    ['1-bit black and white with alpha', { space: 'b-w', bitsPerSample: 1, hasAlpha: true }, 'LA'],
    ['8-bit grey', { space: 'b-w', bitsPerSample: 8, hasAlpha: false }, 'L'],
    ['8-bit grey with alpha', { space: 'b-w', bitsPerSample: 8, hasAlpha: true }, 'LA'],
    ['16-bit grey', { space: 'grey16', bitsPerSample: 16, hasAlpha: false }, 'L'],
    ['16-bit grey with alpha', { space: 'grey16', bitsPerSample: 16, hasAlpha: true }, 'LA'],
    ['1-bit sRGB', { space: 'srgb', bitsPerSample: 1, hasAlpha: false }, 'RGB'],
    ['sRGB', { space: 'srgb', bitsPerSample: 8, hasAlpha: false }, 'RGB'],
    ['sRGB with alpha', { space: 'srgb', bitsPerSample: 8, hasAlpha: true }, 'RGBA'],
  ])('reads %s', (_, m, mode) => {
    expect(frameMode('jpeg', JPEG, meta(m), 0)).toEqual({ mode });
  });

  it('does not read a PNG or GIF header in another format', () => {
    expect(frameMode('webp', pngHeader(8, 3), RGB, 0)).toEqual({ mode: 'RGB' });
    const gifBytes = gif(SIGNATURE, screen(tableFlag(4)), RED_GREEN_BLUE_WHITE, descriptor(0), PIXELS);
    expect(frameMode('webp', gifBytes, RGB, 0)).toEqual({ mode: 'RGB' });
  });
});

describe('GIF modes (GifImagePlugin)', () => {
  const coloured = gif(SIGNATURE, screen(tableFlag(4)), RED_GREEN_BLUE_WHITE, descriptor(0), PIXELS);
  const grey = gif(SIGNATURE, screen(tableFlag(4)), greyRamp(4), descriptor(0), PIXELS);
  const transparent = gif(
    SIGNATURE,
    screen(tableFlag(4)),
    RED_GREEN_BLUE_WHITE,
    graphicControl(1, 2),
    descriptor(0),
    PIXELS,
  );

  it('gives frame 0 the mode of its colour table, with what restores its transparent pixels', () => {
    expect(frameMode('gif', coloured, RGB, 0)).toEqual({
      mode: 'P',
      gifFirstFrame: { palette: Uint8Array.from(RED_GREEN_BLUE_WHITE), mode: 'P', transparency: undefined },
    });
    expect(frameMode('gif', grey, RGB, 0)).toMatchObject({ mode: 'L', gifFirstFrame: { mode: 'L' } });
    expect(frameMode('gif', transparent, RGB, 0)).toMatchObject({
      mode: 'P',
      gifFirstFrame: { transparency: 2 },
    });
  });

  it('gives later frames RGB, RGBA after a transparent first frame, L after a grey one', () => {
    expect(frameMode('gif', coloured, RGB, 1)).toEqual({ mode: 'RGB' });
    expect(frameMode('gif', transparent, RGB, 3)).toEqual({ mode: 'RGBA' });
    expect(frameMode('gif', grey, RGB, 1)).toEqual({ mode: 'L' });
  });

  it("falls back to libvips' metadata when the header cannot be followed", () => {
    const cut = coloured.subarray(0, 12);
    expect(frameMode('gif', cut, meta({ space: 'srgb', hasAlpha: true }), 0)).toEqual({ mode: 'RGBA' });
    expect(frameMode('gif', cut, meta({ space: 'b-w', hasAlpha: false }), 1)).toEqual({ mode: 'L' });
  });
});
