import { threadId } from 'node:worker_threads';
import sharp, { type Metadata } from 'sharp';
import type { ImageLimits } from '@clipguard/config';
import { ClipError } from '../errors';
import { classifySharpError } from './decode';
import { preprocessFrame } from './frame';
import { sampleFrames, type Size } from './geometry';
import { frameMode } from './pillow-mode';
import type { PreprocessConfig } from './preprocess-config';
import { sniffImageFormat, type ImageFormat } from './sniff';
import { toChwTensor } from './tensor';

export { centreCrop, resizedSize, roundHalfEven, sampleFrames } from './geometry';
export { toChwTensor } from './tensor';

export interface PreprocessOptions {
  /** Frames to sample evenly from an animated or multi-page image; 1 (the default) takes the first. */
  frames?: number;
}

export interface PreprocessWork {
  /** Output samples the JavaScript resamplers computed, all frames together (libvips' reductions add 0). */
  samples: number;
  /** The thread that did the work (0 is a process's main thread). */
  threadId: number;
}

export interface PreprocessedImage {
  format: ImageFormat;
  width: number;
  height: number;
  /** Frames (pages) in the file. */
  frameCount: number;
  /** Which frames were sampled, in order; one CHW tensor each. */
  frameIndices: number[];
  pixels: Float32Array[];
  work: PreprocessWork;
}

const DEFAULT_MAX_DECODED_PIXELS = 1_000_000_000;

export const DEFAULT_IMAGE_LIMITS: ImageLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxInputPixels: 40_000_000,
  maxFrames: 16,
  maxDecodedPixels: DEFAULT_MAX_DECODED_PIXELS,
};

/**
 * Pixels libvips decodes to reach the sampled frames. Each GIF or WebP frame is drawn over the ones before
 * it, so frame i costs i + 1 frame decodes (every page request starts from the first frame); TIFF pages are
 * read directly.
 */
export function decodedPixels(format: ImageFormat, frame: Size, frameIndices: readonly number[]): number {
  const perFrame = frame.width * frame.height;
  const composited = format === 'gif' || format === 'webp';
  return frameIndices.reduce((sum, i) => sum + perFrame * (composited ? i + 1 : 1), 0);
}

function checkLimits(format: ImageFormat, size: Size, frameIndices: number[], limits: ImageLimits): void {
  if (size.width * size.height > limits.maxInputPixels) {
    throw new ClipError(
      'IMAGE_TOO_LARGE',
      `image of ${size.width}×${size.height} pixels exceeds the ${limits.maxInputPixels}-pixel limit`,
    );
  }
  const decoded = decodedPixels(format, size, frameIndices);
  const budget = limits.maxDecodedPixels ?? DEFAULT_MAX_DECODED_PIXELS;
  if (decoded > budget) {
    throw new ClipError(
      'IMAGE_TOO_MANY_FRAMES',
      `sampling frames ${frameIndices.join(', ')} of this ${size.width}×${size.height} animation decodes ` +
        `${decoded} pixels, over the ${budget}-pixel limit (CLIPGUARD_MAX_DECODED_PIXELS)`,
    );
  }
}

/**
 * The size a PNG's IHDR or a WebP's VP8X header announces, read before libvips: libpng refuses some bomb
 * headers outright and libwebp others, and those are too large, not corrupt.
 */
function headerSize(format: ImageFormat, bytes: Uint8Array): Size | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (format === 'png' && b.length >= 24 && b.toString('latin1', 12, 16) === 'IHDR') {
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  }
  if (format === 'webp' && b.length >= 30 && b.toString('latin1', 12, 16) === 'VP8X') {
    return { width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
  }
  return undefined;
}

/** The page's size as Pillow sees it, EXIF orientation applied. */
async function pageSize(bytes: Uint8Array, format: ImageFormat, meta: Metadata, page: number) {
  // TIFF pages can differ in size and orientation; animation frames share the first page's canvas.
  const m =
    page > 0 && format === 'tiff' ? await sharp(bytes, { page, limitInputPixels: false }).metadata() : meta;
  const height = m.pageHeight ?? m.height;
  const turned = (m.orientation ?? 1) >= 5;
  return { meta: m, size: turned ? { width: height, height: m.width } : { width: m.width, height } };
}

/**
 * Bytes → CLIP pixel tensors, following OpenAI's reference in Pillow: EXIF orientation applied, shorter side
 * to `shortest_edge` (bicubic, or nearest-neighbour for palette and 1-bit frames as Pillow does; the longer
 * side truncated), centre crop at Python-rounded offsets, alpha dropped (not composited), /255 and mean/std
 * normalisation. Only the crop is computed. Every failure is a ClipError with a stable code.
 */
export async function preprocessImage(
  bytes: Uint8Array,
  config: PreprocessConfig,
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
  options: PreprocessOptions = {},
): Promise<PreprocessedImage> {
  if (bytes.length === 0) throw new ClipError('IMAGE_EMPTY', 'image is empty (0 bytes)');
  if (bytes.length > limits.maxBytes) {
    throw new ClipError(
      'IMAGE_TOO_LARGE',
      `image of ${bytes.length} bytes exceeds the ${limits.maxBytes}-byte limit`,
    );
  }
  const format = sniffImageFormat(bytes);
  if (!format) throw new ClipError('IMAGE_UNSUPPORTED', 'not a JPEG, PNG, WebP, GIF, TIFF or AVIF image');
  const header = headerSize(format, bytes);
  if (header) checkLimits(format, header, [0], limits);
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw classifySharpError(err, format);
  }
  const width = meta.width;
  const height = meta.pageHeight ?? meta.height;
  if (!width || !height) throw new ClipError('IMAGE_CORRUPT', 'image header has no dimensions');
  const frameCount = Math.max(1, meta.pages ?? 1);
  const frameIndices = sampleFrames(frameCount, Math.min(options.frames ?? 1, limits.maxFrames));
  checkLimits(format, { width, height }, frameIndices, limits);
  try {
    const pixels: Float32Array[] = [];
    let samples = 0;
    for (const page of frameIndices) {
      const { meta: pageMeta, size } = await pageSize(bytes, format, meta, page);
      const mode = frameMode(format, bytes, pageMeta, page);
      const decodedAlpha = pageMeta.hasAlpha === true;
      const out = await preprocessFrame({ bytes, page, limits, source: size, mode, decodedAlpha, config });
      samples += out.samples;
      pixels.push(toChwTensor(out.frame, config));
    }
    return { format, width, height, frameCount, frameIndices, pixels, work: { samples, threadId } };
  } catch (err) {
    if (err instanceof ClipError) throw err;
    throw classifySharpError(err, format);
  }
}

/**
 * Process-wide sharp settings for untrusted input: risky loaders blocked (SVG can reference files and
 * runs librsvg; PDF, ImageMagick and others are large attack surfaces), no operation cache.
 */
export function hardenSharp(): void {
  sharp.block({
    operation: [
      'VipsForeignLoadSvg',
      'VipsForeignLoadPdf',
      'VipsForeignLoadMagick',
      'VipsForeignLoadOpenslide',
      'VipsForeignLoadFits',
      'VipsForeignLoadMatrix',
      'VipsForeignLoadCsv',
      'VipsForeignLoadVips',
      'VipsForeignLoadJxl',
    ],
  });
  sharp.cache(false);
}
