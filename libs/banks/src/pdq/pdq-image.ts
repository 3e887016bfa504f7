import sharp from 'sharp';
import { ClipError, DEFAULT_IMAGE_LIMITS, sniffImageFormat } from '@clipguard/clip';
import type { ImageLimits } from '@clipguard/config';
import { pdqDihedralFromPixels, pdqFromPixels, type DihedralHashes, type RawPixels } from './pdq';
import type { PdqResult } from './pdq-hash';

/** Meta's C++ tool squeezes anything larger than this on either side to PRESIZE × PRESIZE first. */
export const PDQ_PRESIZE = 512;

/**
 * CImg's nearest-neighbour resize (interpolation 1), as pdqio.cpp calls it before hashing. Measured
 * against the C++ build, copying it keeps our hashes of large images identical to the reference's
 * (an anti-aliased fit-inside-512 resize drifts up to 16 bits away; see docs/banks.md).
 */
export function cimgNearestResize(pixels: RawPixels, width: number, height: number): RawPixels {
  const { data, channels } = pixels;
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const sy = Math.floor((y * pixels.height) / height);
    for (let x = 0; x < width; x++) {
      const s = (sy * pixels.width + Math.floor((x * pixels.width) / width)) * channels;
      const d = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) out[d + c] = data[s + c];
    }
  }
  return { data: out, width, height, channels };
}

/**
 * ImageMagick hands the C++ tool a grey PNM for any image whose three channels are equal, so the
 * reference takes its grey luma path for them; the RGB weights in float32 differ from the grey value
 * by rounding, which flips bits of images with near-tied DCT coefficients (measured up to 26 bits).
 */
function isGreyscale(rgb: Uint8Array): boolean {
  for (let i = 0; i < rgb.length; i += 3) {
    if (rgb[i] !== rgb[i + 1] || rgb[i] !== rgb[i + 2]) return false;
  }
  return true;
}

function toGrey(pixels: RawPixels): RawPixels {
  const grey = new Uint8Array(pixels.width * pixels.height);
  for (let i = 0; i < grey.length; i++) grey[i] = pixels.data[i * 3];
  return { ...pixels, data: grey, channels: 1 };
}

function decodeError(err: unknown): ClipError {
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  if (/pixel limit/i.test(message)) return new ClipError('IMAGE_TOO_LARGE', message, { cause: err });
  if (/unsupported image format/i.test(message)) {
    return new ClipError('IMAGE_UNSUPPORTED', message, { cause: err });
  }
  return new ClipError('IMAGE_CORRUPT', `cannot decode image: ${message}`, { cause: err });
}

/**
 * Bytes → the first frame's 8-bit pixels as Meta's C++ tool hashes them, with the same input checks
 * and ClipError codes as CLIP preprocessing. Alpha is dropped without compositing and grey stays grey
 * (the reference's two luma paths); embedded ICC profiles are ignored, as by the reference. One
 * deliberate difference: EXIF orientation is applied, so a bank entry matches the picture people see
 * (the reference hashes the stored pixels, which puts a rotated phone photo ~130 bits away).
 */
export async function decodeForPdq(
  bytes: Uint8Array,
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
): Promise<RawPixels> {
  if (bytes.length === 0) throw new ClipError('IMAGE_EMPTY', 'image is empty (0 bytes)');
  if (bytes.length > limits.maxBytes) {
    throw new ClipError(
      'IMAGE_TOO_LARGE',
      `image of ${bytes.length} bytes exceeds the ${limits.maxBytes}-byte limit`,
    );
  }
  if (!sniffImageFormat(bytes)) {
    throw new ClipError('IMAGE_UNSUPPORTED', 'not a JPEG, PNG, WebP, GIF, TIFF or AVIF image');
  }
  let pixels: RawPixels;
  try {
    const image = sharp(bytes, {
      limitInputPixels: limits.maxInputPixels,
      failOn: 'truncated',
      ignoreIcc: true,
      autoOrient: true,
    });
    const meta = await image.metadata();
    const grey = (meta.channels ?? 3) <= 2;
    const { data, info } = await image
      .removeAlpha()
      .toColourspace(grey ? 'b-w' : 'srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    pixels = { data, width: info.width, height: info.height, channels: info.channels === 1 ? 1 : 3 };
    if (pixels.channels === 3 && isGreyscale(data)) pixels = toGrey(pixels);
  } catch (err) {
    throw decodeError(err);
  }
  return pixels.width > PDQ_PRESIZE || pixels.height > PDQ_PRESIZE
    ? cimgNearestResize(pixels, PDQ_PRESIZE, PDQ_PRESIZE)
    : pixels;
}

/** PDQ hash and quality of an encoded image's first frame. */
export async function pdqHashImage(
  bytes: Uint8Array,
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
): Promise<PdqResult> {
  return pdqFromPixels(await decodeForPdq(bytes, limits));
}

/** All eight dihedral hashes of an encoded image's first frame, and its quality. */
export async function pdqDihedralHashImage(
  bytes: Uint8Array,
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
): Promise<{ hashes: DihedralHashes; quality: number }> {
  return pdqDihedralFromPixels(await decodeForPdq(bytes, limits));
}
