import sharp, { type Sharp } from 'sharp';
import type { ImageLimits } from '@clipguard/config';
import { ClipError } from '../errors';
import type { Box, Size } from './geometry';
import type { PixelWindow } from './pil-bicubic';
import type { ImageFormat } from './sniff';

/**
 * libvips' error → a typed error. `format` is what the magic bytes said: when they name a format libvips
 * reads and no loader accepts the file, the file is broken rather than of an unsupported kind.
 */
export function classifySharpError(err: unknown, format?: ImageFormat): ClipError {
  // libvips appends its warnings line by line; the first line says what went wrong.
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  if (/pixel limit/i.test(message)) return new ClipError('IMAGE_TOO_LARGE', message, { cause: err });
  if (/unsupported image format/i.test(message) && !format)
    return new ClipError('IMAGE_UNSUPPORTED', message, { cause: err });
  return new ClipError('IMAGE_CORRUPT', `cannot decode image: ${message}`, { cause: err });
}

export function sharpInput(bytes: Uint8Array, page: number, limits: ImageLimits): Sharp {
  // ignoreIcc: the reference (Pillow) never applies embedded profiles, so neither do we (see README).
  return sharp(bytes, {
    page,
    limitInputPixels: limits.maxInputPixels,
    failOn: 'truncated',
    ignoreIcc: true,
    autoOrient: true,
  });
}

/**
 * Decodes `box` of one frame (EXIF orientation applied) as 8-bit sRGB, alpha kept. libvips decodes lazily,
 * so only the rows up to the box are read and only the box is kept in memory.
 */
export async function decodeWindow(
  bytes: Uint8Array,
  page: number,
  limits: ImageLimits,
  source: Size,
  box: Box,
): Promise<PixelWindow> {
  let image = sharpInput(bytes, page, limits);
  const whole = box.left === 0 && box.top === 0 && box.width === source.width && box.height === source.height;
  if (!whole) image = image.extract(box);
  const { data, info } = await image
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { data, box, channels: info.channels };
}

/**
 * Reduction with libvips' cubic reducer, whose kernel widens with the scale as Pillow's does. libvips is
 * demand-driven: the extract after the resize makes it compute only the crop's region of the resized image.
 * sharp resizes an image with alpha premultiplied; `dropAlpha` removes the alpha first, for frames that have
 * none to Pillow (an RGB PNG with a tRNS colour key, GIF frames after the first without transparency).
 */
export async function libvipsReduceCrop(
  bytes: Uint8Array,
  page: number,
  limits: ImageLimits,
  target: Size,
  crop: Box,
  dropAlpha = false,
): Promise<{ data: Uint8Array; channels: number }> {
  let input = sharpInput(bytes, page, limits);
  if (dropAlpha) {
    // sharp applies removeAlpha after resizing, whatever the call order: drop it in a pass of its own.
    const { data, info } = await input
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    input = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  }
  const { data, info } = await input
    .resize(target.width, target.height, { fit: 'fill', kernel: 'cubic', fastShrinkOnLoad: false })
    .extract(crop)
    .removeAlpha()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { data, channels: info.channels };
}
