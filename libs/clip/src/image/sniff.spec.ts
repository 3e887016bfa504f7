import { sniffImageFormat } from './sniff';

// Each header is written from its format's specification: the bytes a real file of that kind starts with,
// then a little padding standing for the rest of the file.

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
const PADDING = [0, 0, 0, 0, 0, 0, 0, 0];

/** A RIFF container: "RIFF", little-endian size, the form type, then the first chunk's fourcc. */
const riff = (form: string, chunk: string) => bytes('RIFF', [0x24, 0, 0, 0], form, chunk, PADDING);

/** An ISO-BMFF file starting with its `ftyp` box: size, "ftyp", major brand, minor version, compatible brands. */
const ftyp = (major: string, ...compatible: string[]) =>
  bytes([0, 0, 0, 16 + 4 * compatible.length], 'ftyp', major, [0, 0, 0, 0], ...compatible, PADDING);

describe('sniffImageFormat', () => {
  it.each([
    ['JPEG (SOI then an APP0 marker)', bytes([0xff, 0xd8, 0xff, 0xe0], PADDING), 'jpeg'],
    ['JPEG (SOI then an APP1 Exif marker)', bytes([0xff, 0xd8, 0xff, 0xe1], PADDING), 'jpeg'],
    ['PNG', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a], PADDING), 'png'],
    ['lossy WebP (VP8)', riff('WEBP', 'VP8 '), 'webp'],
    ['lossless WebP (VP8L)', riff('WEBP', 'VP8L'), 'webp'],
    ['extended WebP (VP8X: alpha, animation)', riff('WEBP', 'VP8X'), 'webp'],
    ['GIF87a', bytes('GIF87a', PADDING), 'gif'],
    ['GIF89a', bytes('GIF89a', PADDING), 'gif'],
    ['little-endian TIFF', bytes('II', [0x2a, 0x00], PADDING), 'tiff'],
    ['big-endian TIFF', bytes('MM', [0x00, 0x2a], PADDING), 'tiff'],
    ['an AVIF still (brand avif)', ftyp('avif', 'mif1', 'miaf'), 'avif'],
    ['an AVIF image sequence (brand avis)', ftyp('avis', 'msf1', 'miaf'), 'avif'],
    [
      'an AVIF still whose major brand is mif1 (avif compatible)',
      ftyp('mif1', 'mif1', 'avif', 'miaf'),
      'avif',
    ],
  ])('recognises %s', (_name, header, format) => {
    expect(sniffImageFormat(header)).toBe(format);
  });

  it.each([
    ['a HEIC still (brand heic)', ftyp('heic', 'mif1', 'heic')],
    ['a HEIF sequence (brand msf1)', ftyp('msf1', 'msf1', 'hevc')],
    ['a HEIC still whose major brand is mif1 (heic compatible)', ftyp('mif1', 'mif1', 'heic')],
    [
      '"avif" as the minor version, not a brand',
      bytes([0, 0, 0, 20], 'ftyp', 'mif1', 'avif', 'heic', PADDING),
    ],
    [
      '"avif" past the end of the ftyp box',
      bytes([0, 0, 0, 20], 'ftyp', 'mif1', [0, 0, 0, 0], 'heic', 'avif'),
    ],
    ['an MP4 video (brand isom)', ftyp('isom', 'iso2', 'mp41')],
    ['a WAVE file (RIFF, form WAVE)', riff('WAVE', 'fmt ')],
    ['an AVI file (RIFF, form AVI)', riff('AVI ', 'LIST')],
    ['"WEBP" at offset 8 without the RIFF tag', bytes('RIFX', [0x24, 0, 0, 0], 'WEBP', 'VP8 ', PADDING)],
    ['the brand "avif" at offset 8 without an ftyp box', bytes([0, 0, 0, 16], 'moov', 'avif', PADDING)],
    ['an SVG document', bytes('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['a PDF', bytes('%PDF-1.7', PADDING)],
    ['a BMP', bytes('BM', PADDING)],
    ['"GIF88a", not a GIF version', bytes('GIF88a', PADDING)],
    ["JPEG's first byte alone", bytes([0xff, 0x00, 0x00], PADDING)],
    [
      "PNG's signature with its line-ending check byte wrong",
      bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x00], PADDING),
    ],
    ["TIFF's byte order with the wrong magic number", bytes('II', [0x00, 0x2a], PADDING)],
    ['an empty file', bytes()],
    ['a JPEG signature cut after two bytes', bytes([0xff, 0xd8])],
  ])('refuses %s', (_name, header) => {
    expect(sniffImageFormat(header)).toBeUndefined();
  });
});
