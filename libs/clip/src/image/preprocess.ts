import sharp, { type Metadata, type Sharp } from 'sharp';
import type { ImageLimits } from '@clipguard/config';
import { ClipError } from '../errors';
import { pilBicubicResize } from './pil-bicubic';
import type { PreprocessConfig } from './preprocess-config';
import { sniffImageFormat, type ImageFormat } from './sniff';

export interface PreprocessOptions {
  /** Frames to sample evenly from an animated or multi-page image; 1 (the default) takes the first. */
  frames?: number;
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
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxInputPixels: 40_000_000,
  maxFrames: 16,
};

/** Python's round(): halves go to the even neighbour. The reference's crop offsets use it. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d !== 0.5) return Math.round(x);
  return f % 2 === 0 ? f : f + 1;
}

/** torchvision Resize(int) on the shorter side: the longer side is truncated, not rounded. */
export function resizedSize(
  width: number,
  height: number,
  shortest: number,
): { width: number; height: number } {
  if (shortest <= 0) return { width, height };
  return width <= height
    ? { width: shortest, height: Math.trunc((shortest * height) / width) }
    : { width: Math.trunc((shortest * width) / height), height: shortest };
}

/** Evenly spaced frame indices, always starting with the first frame. */
export function sampleFrames(frameCount: number, wanted: number): number[] {
  const n = Math.max(1, Math.min(wanted, frameCount));
  return Array.from({ length: n }, (_, i) => Math.floor((i * frameCount) / n));
}

function classifySharpError(err: unknown): ClipError {
  // libvips appends its warnings line by line; the first line says what went wrong.
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  if (/pixel limit/i.test(message)) return new ClipError('IMAGE_TOO_LARGE', message, { cause: err });
  if (/unsupported image format/i.test(message))
    return new ClipError('IMAGE_UNSUPPORTED', message, { cause: err });
  return new ClipError('IMAGE_CORRUPT', `cannot decode image: ${message}`, { cause: err });
}

interface RawFrame {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

function sharpInput(bytes: Uint8Array, page: number, limits: ImageLimits): Sharp {
  // ignoreIcc: the reference (Pillow) never applies embedded profiles, so neither do we (see README).
  return sharp(bytes, {
    page,
    limitInputPixels: limits.maxInputPixels,
    failOn: 'truncated',
    ignoreIcc: true,
    autoOrient: true,
  });
}

/** Pillow resizes LA/RGBA premultiplied by alpha; drops alpha only after the crop. */
function premultiplied(frame: RawFrame, f: (data: Uint8Array) => Uint8Array): Uint8Array {
  const { channels } = frame;
  if (channels !== 2 && channels !== 4) return f(frame.data);
  const a = channels - 1;
  const pre = Uint8Array.from(frame.data);
  for (let i = 0; i < pre.length; i += channels) {
    for (let c = 0; c < a; c++) {
      const tmp = pre[i + c] * pre[i + a] + 128;
      pre[i + c] = ((tmp >> 8) + tmp) >> 8;
    }
  }
  const out = f(pre);
  for (let i = 0; i < out.length; i += channels) {
    const alpha = out[i + a];
    if (alpha === 0 || alpha === 255) continue;
    for (let c = 0; c < a; c++) out[i + c] = Math.min(255, Math.trunc((255 * out[i + c]) / alpha));
  }
  return out;
}

async function decodeResized(
  bytes: Uint8Array,
  page: number,
  config: PreprocessConfig,
  limits: ImageLimits,
): Promise<RawFrame> {
  const probe = await sharpInput(bytes, page, limits).metadata();
  const oriented = (probe.orientation ?? 1) >= 5;
  const width = oriented ? probe.height : probe.width;
  const height = oriented ? probe.width : probe.height;
  const target = resizedSize(width, height, config.shortestEdge);
  const crop = {
    left: roundHalfEven((target.width - config.cropWidth) / 2),
    top: roundHalfEven((target.height - config.cropHeight) / 2),
  };
  if (target.width <= width && target.height <= height) {
    // Reduction: libvips' cubic reducer widens its kernel with the scale, as Pillow's does.
    const { data, info } = await sharpInput(bytes, page, limits)
      .resize(target.width, target.height, { fit: 'fill', kernel: 'cubic', fastShrinkOnLoad: false })
      .extract({ ...crop, width: config.cropWidth, height: config.cropHeight })
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels };
  }
  const { data, info } = await sharpInput(bytes, page, limits)
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const frame = { data, width: info.width, height: info.height, channels: info.channels };
  const resized = premultiplied(frame, (d) =>
    pilBicubicResize(d, frame.width, frame.height, frame.channels, target.width, target.height),
  );
  return cropRgb({ ...frame, data: resized, width: target.width, height: target.height }, crop, config);
}

function cropRgb(frame: RawFrame, crop: { left: number; top: number }, config: PreprocessConfig): RawFrame {
  const out = new Uint8Array(config.cropWidth * config.cropHeight * 3);
  for (let y = 0; y < config.cropHeight; y++) {
    for (let x = 0; x < config.cropWidth; x++) {
      const sy = y + crop.top;
      const sx = x + crop.left;
      const inside = sy >= 0 && sy < frame.height && sx >= 0 && sx < frame.width;
      for (let c = 0; c < 3; c++) {
        out[(y * config.cropWidth + x) * 3 + c] = inside
          ? frame.data[(sy * frame.width + sx) * frame.channels + c]
          : 0;
      }
    }
  }
  return { data: out, width: config.cropWidth, height: config.cropHeight, channels: 3 };
}

/** Interleaved 8-bit RGB → normalised float32 CHW. */
export function toChwTensor(frame: RawFrame, config: PreprocessConfig): Float32Array {
  const plane = frame.width * frame.height;
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const scale = config.rescaleFactor / config.std[c];
    const shift = config.mean[c] / config.std[c];
    for (let i = 0; i < plane; i++) out[c * plane + i] = frame.data[i * frame.channels + c] * scale - shift;
  }
  return out;
}

/**
 * Bytes → CLIP pixel tensors, following OpenAI's reference: EXIF orientation applied, shorter side to
 * `shortest_edge` (bicubic, longer side truncated), centre crop at Python-rounded offsets, alpha dropped
 * (not composited), /255 and mean/std normalisation. Every failure is a ClipError with a stable code.
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
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw classifySharpError(err);
  }
  const width = meta.width;
  const height = meta.pageHeight ?? meta.height;
  if (!width || !height) throw new ClipError('IMAGE_CORRUPT', 'image header has no dimensions');
  if (width * height > limits.maxInputPixels) {
    throw new ClipError(
      'IMAGE_TOO_LARGE',
      `image of ${width}×${height} pixels exceeds the ${limits.maxInputPixels}-pixel limit`,
    );
  }
  const frameCount = Math.max(1, meta.pages ?? 1);
  const frameIndices = sampleFrames(frameCount, Math.min(options.frames ?? 1, limits.maxFrames));
  try {
    const pixels: Float32Array[] = [];
    for (const page of frameIndices) {
      pixels.push(toChwTensor(await decodeResized(bytes, page, config, limits), config));
    }
    return { format, width, height, frameCount, frameIndices, pixels };
  } catch (err) {
    if (err instanceof ClipError) throw err;
    throw classifySharpError(err);
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
