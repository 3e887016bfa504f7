import type { Metadata } from 'sharp';
import { readGifFirstFrame, type GifFirstFrame } from './gif-header';
import type { ImageFormat } from './sniff';

/** The Pillow image modes a decoded frame can have, as far as resizing cares. */
export type PillowMode = '1' | 'P' | 'L' | 'LA' | 'I' | 'RGB' | 'RGBA' | 'CMYK';

/** How Pillow's `Image.resize(size, BICUBIC)` treats a mode. */
export type Resampling = 'nearest' | 'bicubic' | 'bicubic-premultiplied';

export function resamplingOf(mode: PillowMode): Resampling {
  // Image.resize: "If the image has mode '1' or 'P', it is always set to NEAREST"; LA and RGBA are
  // resized premultiplied by alpha (converted to La/RGBa and back).
  if (mode === 'P' || mode === '1') return 'nearest';
  if (mode === 'LA' || mode === 'RGBA') return 'bicubic-premultiplied';
  return 'bicubic';
}

/** What one frame is to Pillow, and how to restore what libvips's decode of it loses. */
export interface FrameMode {
  mode: PillowMode;
  /**
   * GIF first frame: libvips gives transparent pixels (and the canvas outside the frame) as transparent
   * black; Pillow keeps the palette colour of the transparent index (or index 0) there.
   */
  gifFirstFrame?: GifFirstFrame;
}

/** PNG IHDR bit depth and colour type → Pillow's mode (PngImagePlugin._MODES). */
function pngMode(bytes: Uint8Array): PillowMode | undefined {
  if (bytes.length < 26) return undefined;
  const depth = bytes[24];
  switch (bytes[25]) {
    case 0:
      return depth === 1 ? '1' : depth === 16 ? 'I' : 'L';
    case 2:
      return 'RGB';
    case 3:
      return 'P';
    case 4:
      return 'LA';
    case 6:
      return 'RGBA';
    default:
      return undefined;
  }
}

/** Pillow's mode from what libvips reports, for formats whose header is not read here. */
function modeFromMetadata(meta: Metadata): PillowMode {
  if (meta.space === 'cmyk') return 'CMYK';
  const grey = meta.space === 'b-w' || meta.space === 'grey16';
  if (grey && meta.bitsPerSample === 1 && !meta.hasAlpha) return '1';
  if (grey) return meta.hasAlpha ? 'LA' : 'L';
  return meta.hasAlpha ? 'RGBA' : 'RGB';
}

/**
 * The mode Pillow 9.4 decodes `page` as: PNG from its IHDR (colour type 3 is "P" even though libvips expands
 * it), GIF's first frame "P" (or "L" for a grey-ramp table) and later frames RGB, or RGBA when the first
 * frame had a transparent index (GifImagePlugin's RGB_AFTER_FIRST); other formats from libvips' metadata.
 * TIFF palette images are not recognised (libvips does not report them): they are resized bicubically.
 */
export function frameMode(format: ImageFormat, bytes: Uint8Array, meta: Metadata, page: number): FrameMode {
  if (format === 'png') return { mode: pngMode(bytes) ?? modeFromMetadata(meta) };
  if (format === 'gif') {
    const first = readGifFirstFrame(bytes);
    if (!first) return { mode: modeFromMetadata(meta) };
    if (page === 0) return { mode: first.mode, gifFirstFrame: first };
    if (first.mode === 'L') return { mode: 'L' };
    return { mode: first.transparency === undefined ? 'RGB' : 'RGBA' };
  }
  return { mode: modeFromMetadata(meta) };
}
