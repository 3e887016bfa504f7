/** Formats the engine decodes. Anything else (SVG, PDF, HEIC stills, …) is refused before sharp sees it. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif';

const startsWith = (b: Uint8Array, sig: number[], offset = 0) => sig.every((v, i) => b[offset + i] === v);
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/**
 * Identifies the container from its magic bytes. Written here rather than taken from `file-type` (ESM-only,
 * and far broader than needed): an allow-list of six signatures is the whole job.
 */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'tiff';
  if (startsWith(bytes, ascii('ftyp'), 4) && ftypBrands(bytes).some((b) => AVIF_BRANDS.has(b))) return 'avif';
  return undefined;
}

const AVIF_BRANDS = new Set(['avif', 'avis']);

/**
 * The major and compatible brands of a leading `ftyp` box. An AVIF file must list `avif` (or `avis`) among its
 * brands, but not necessarily as the major one: encoders also write the generic `mif1` there.
 */
function ftypBrands(bytes: Uint8Array): string[] {
  const size = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  const end = Math.min(size, bytes.length);
  const brand = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  const brands = [brand(8)];
  // Bytes 12–15 hold the minor version, not a brand.
  for (let at = 16; at + 4 <= end; at += 4) brands.push(brand(at));
  return brands;
}
