import { extname } from 'node:path';
import { sniffImageFormat, type ImageFormat } from '@clipguard/clip';

/** Extensions of formats the engine decodes, and of image formats it refuses. */
const DECODED = new Set([
  '.jpg',
  '.jpeg',
  '.jpe',
  '.jfif',
  '.png',
  '.webp',
  '.gif',
  '.tif',
  '.tiff',
  '.avif',
]);
const REFUSED: Record<string, string> = {
  '.svg': 'SVG',
  '.svgz': 'SVG',
  '.bmp': 'BMP',
  '.heic': 'HEIC',
  '.heif': 'HEIF',
  '.ico': 'ICO',
  '.jxl': 'JPEG XL',
  '.jp2': 'JPEG 2000',
  '.psd': 'Photoshop',
  '.pdf': 'PDF',
};
const SUPPORTED = 'JPEG, PNG, WebP, GIF, TIFF and AVIF';
const ANY_SUPPORTED = 'JPEG, PNG, WebP, GIF, TIFF or AVIF';

export type FileVerdict =
  | { kind: 'image'; format: ImageFormat }
  /** Not an image, found while walking a directory: listed as skipped, not an error. */
  | { kind: 'skipped'; reason: string }
  /** An image the engine cannot read, or a file named on the command line that is not an image. */
  | { kind: 'unreadable'; code: 'IMAGE_EMPTY' | 'IMAGE_UNSUPPORTED'; reason: string };

const looksLikeSvg = (text: string) =>
  /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text);

function isText(head: Uint8Array): boolean {
  if (head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 4)));
    return true;
  } catch {
    return false;
  }
}

/**
 * What to do with a file, from its first bytes (not its name: `horse.PNG` and a PNG without an extension
 * are images; `notes.png` holding text is not). `named` files were given on the command line, so not
 * being an image is an error for them; in a directory walk it is a skip with its reason.
 */
export function sniffFile(name: string, head: Uint8Array, size: number, named: boolean): FileVerdict {
  const ext = extname(name).toLowerCase();
  if (size === 0) {
    return named || DECODED.has(ext) || ext in REFUSED
      ? { kind: 'unreadable', code: 'IMAGE_EMPTY', reason: 'empty file (0 bytes)' }
      : { kind: 'skipped', reason: 'empty file' };
  }
  const format = sniffImageFormat(head);
  if (format) return { kind: 'image', format };
  const text = isText(head);
  const refused = text && looksLikeSvg(new TextDecoder().decode(head)) ? 'SVG' : REFUSED[ext];
  if (refused) {
    return {
      kind: 'unreadable',
      code: 'IMAGE_UNSUPPORTED',
      reason: `${refused} images are not supported (${SUPPORTED} are); convert it to PNG to scan it`,
    };
  }
  if (named || DECODED.has(ext)) {
    const what = DECODED.has(ext) ? `named ${ext} but its bytes are not` : 'its bytes are not';
    return {
      kind: 'unreadable',
      code: 'IMAGE_UNSUPPORTED',
      reason: `not an image: ${what} ${ANY_SUPPORTED}`,
    };
  }
  return { kind: 'skipped', reason: text ? 'not an image (text file)' : 'not an image' };
}
