// Hostile image files, generated (never stored): the attack run's files, kept as a regression suite.
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { pngBombHeader } from '@clipguard/testing';
import type { ClipErrorCode } from '../src/errors';

export interface HostileCase {
  name: string;
  make: () => Buffer | Promise<Buffer>;
  frames?: number;
  /** 'embedding' when the file is a real image that must be embedded, else the typed code. */
  expect: 'embedding' | ClipErrorCode;
}

const ascii = (s: string) => Buffer.from(s, 'latin1');
const u16le = (v: number) => Buffer.from([v & 255, v >> 8]);
const u32be = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v);
  return b;
};

function noise(width: number, height: number, channels: 1 | 2 | 3 | 4, seed = 7): Buffer {
  const out = Buffer.alloc(width * height * channels);
  let s = seed;
  for (let i = 0; i < out.length; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    out[i] = s >> 16;
  }
  return out;
}
const raw = (w: number, h: number, c: 1 | 2 | 3 | 4) =>
  sharp(noise(w, h, c), { raw: { width: w, height: h, channels: c } });

/** A PNG with any IHDR, valid CRCs not needed by the size check. */
function pngChunks(chunks: [string, Buffer][]): Buffer {
  const parts = chunks.map(([type, data]) =>
    Buffer.concat([u32be(data.length), ascii(type), data, Buffer.alloc(4)]),
  );
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...parts]);
}

/** GIF89a of `frames` 1×1 frames on a width×height canvas: thousands of frames in a few kilobytes. */
function gifFrames(width: number, height: number, frames: number): Buffer {
  const head = Buffer.concat([ascii('GIF89a'), u16le(width), u16le(height), Buffer.from([0x80, 0, 0])]);
  const palette = Buffer.from([0, 0, 0, 255, 255, 255]);
  // One pixel of index (f % 2): LZW codes clear(4), index, end(5) at 3 bits each.
  const frame = (i: number) =>
    Buffer.concat([
      Buffer.from([0x2c]),
      u16le(i % width),
      u16le(0),
      u16le(1),
      u16le(1),
      Buffer.from([0, 2, 2, 0x44 | ((i % 2) << 3), 0x01, 0]),
    ]);
  return Buffer.concat([head, palette, ...Array.from({ length: frames }, (_, i) => frame(i)), ascii(';')]);
}

/** A GIF whose screen and only frame announce 65535×65535 pixels over a few bytes of data. */
function gifBomb(): Buffer {
  const gif = Buffer.from(gifFrames(1, 1, 1));
  for (const at of [6, 8, 13 + 6 + 5, 13 + 6 + 7]) gif.writeUInt16LE(65535, at);
  return gif;
}

/** A real WebP (VP8X, with alpha) whose canvas is patched to 16384×16384. */
async function webpBomb(): Promise<Buffer> {
  const webp = Buffer.from(await raw(32, 32, 4).webp().toBuffer());
  webp.writeUIntLE(16383, 24, 3);
  webp.writeUIntLE(16383, 27, 3);
  return webp;
}

/** Little-endian TIFF with one IFD: the given width and height, 8-bit grey, one strip pointing past the end. */
function tiffHeader(width: number, height: number): Buffer {
  const entries: [number, number, number, number][] = [
    [256, 4, 1, width],
    [257, 4, 1, height],
    [258, 3, 1, 8],
    [259, 3, 1, 1],
    [262, 3, 1, 1],
    [273, 4, 1, 1_000_000],
    [277, 3, 1, 1],
    [279, 4, 1, width * height],
  ];
  const ifd = Buffer.alloc(2 + entries.length * 12 + 4);
  ifd.writeUInt16LE(entries.length, 0);
  entries.forEach(([tag, type, count, value], i) => {
    const at = 2 + i * 12;
    ifd.writeUInt16LE(tag, at);
    ifd.writeUInt16LE(type, at + 2);
    ifd.writeUInt32LE(count, at + 4);
    if (type === 3) ifd.writeUInt16LE(value, at + 8);
    else ifd.writeUInt32LE(value >>> 0, at + 8);
  });
  return Buffer.concat([Buffer.from([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0]), ifd]);
}

/** JPEG whose frame header announces 65500×65500 pixels. */
async function jpegBomb(): Promise<Buffer> {
  const jpeg = await raw(16, 16, 3).jpeg().toBuffer();
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  const out = Buffer.from(jpeg);
  out.writeUInt16BE(65500, sof + 5);
  out.writeUInt16BE(65500, sof + 7);
  return out;
}

/** An EXIF block whose orientation is out of range and whose IFD chain points back at itself. */
async function exifLoop(): Promise<Buffer> {
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  tiff.write('II*\0', 0, 'latin1');
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(1, 8);
  tiff.writeUInt16LE(0x0112, 10);
  tiff.writeUInt16LE(3, 12);
  tiff.writeUInt32LE(1, 14);
  tiff.writeUInt16LE(255, 18);
  tiff.writeUInt32LE(8, 22); // next IFD: itself
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), u16le(0), ascii('Exif\0\0'), tiff]);
  app1.writeUInt16BE(app1.length - 2, 2);
  const jpeg = await raw(300, 200, 3).jpeg().toBuffer();
  return Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
}

async function cut(make: () => Promise<Buffer>, fraction: number): Promise<Buffer> {
  const b = await make();
  return b.subarray(0, Math.floor(b.length * fraction));
}

async function flipped(make: () => Promise<Buffer>, at: number): Promise<Buffer> {
  const b = Buffer.from(await make());
  const i = Math.floor(b.length * at);
  b[i] ^= 0xff;
  b[i + 1] ^= 0x5a;
  return b;
}

const photoPng = () => raw(320, 240, 3).png().toBuffer();
const photoJpeg = () => raw(320, 240, 3).jpeg().toBuffer();
const animatedGif = () =>
  sharp(noise(60, 60 * 5, 3), { raw: { width: 60, height: 300, channels: 3, pageHeight: 60 } })
    .gif()
    .toBuffer();

export const HOSTILE_CASES: HostileCase[] = [
  {
    name: '1×4000 PNG (186 bytes in the attack)',
    make: () => raw(1, 4000, 3).png().toBuffer(),
    expect: 'embedding',
  },
  { name: '4000×1 PNG', make: () => raw(4000, 1, 3).png().toBuffer(), expect: 'embedding' },
  {
    name: '1×200000 palette PNG',
    make: () => raw(1, 200_000, 3).png({ palette: true }).toBuffer(),
    expect: 'embedding',
  },
  {
    name: '200000×1 1-bit PNG',
    make: () => raw(200_000, 1, 1).threshold(128).png().toBuffer(),
    expect: 'embedding',
  },
  { name: 'PNG header of 30000×30000', make: () => pngBombHeader(30000, 30000), expect: 'IMAGE_TOO_LARGE' },
  { name: 'PNG header of 2³¹−1×1', make: () => pngBombHeader(2 ** 31 - 1, 1), expect: 'IMAGE_TOO_LARGE' },
  { name: 'GIF header of 65535×65535', make: gifBomb, expect: 'IMAGE_TOO_LARGE' },
  { name: 'WebP header of 16384×16384', make: webpBomb, expect: 'IMAGE_TOO_LARGE' },
  {
    name: 'TIFF header of 100000×100000',
    make: () => tiffHeader(100_000, 100_000),
    expect: 'IMAGE_TOO_LARGE',
  },
  { name: 'JPEG header of 65500×65500', make: jpegBomb, expect: 'IMAGE_TOO_LARGE' },
  { name: 'TIFF of 0×0', make: () => tiffHeader(0, 0), expect: 'IMAGE_CORRUPT' },
  { name: 'PNG cut in half', make: () => cut(photoPng, 0.5), expect: 'IMAGE_CORRUPT' },
  { name: 'JPEG cut in half', make: () => cut(photoJpeg, 0.5), expect: 'IMAGE_CORRUPT' },
  {
    name: 'GIF cut inside its only frame',
    make: () => cut(() => raw(60, 60, 3).gif().toBuffer(), 0.5),
    expect: 'IMAGE_CORRUPT',
  },
  { name: 'animated GIF cut after its first frames', make: () => cut(animatedGif, 0.5), expect: 'embedding' },
  { name: 'PNG with a corrupt IDAT', make: () => flipped(photoPng, 0.6), expect: 'IMAGE_CORRUPT' },
  {
    name: 'PNG signature then random bytes',
    make: () => Buffer.concat([pngBombHeader(1, 1).subarray(0, 8), noise(64, 64, 1)]),
    expect: 'IMAGE_CORRUPT',
  },
  {
    name: 'PNG with only an IHDR',
    make: () => pngChunks([['IHDR', Buffer.from([0, 0, 0, 9, 0, 0, 0, 9, 8, 2, 0, 0, 0])]]),
    expect: 'IMAGE_CORRUPT',
  },
  { name: 'zero bytes', make: () => Buffer.alloc(0), expect: 'IMAGE_EMPTY' },
  { name: 'random bytes', make: () => noise(4096, 1, 1, 99), expect: 'IMAGE_UNSUPPORTED' },
  {
    name: 'SVG',
    make: () => ascii('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>'),
    expect: 'IMAGE_UNSUPPORTED',
  },
  {
    name: 'SVG with an XML prolog and an external entity',
    make: () =>
      ascii('<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>'),
    expect: 'IMAGE_UNSUPPORTED',
  },
  {
    name: 'HTML',
    make: () => ascii('<!doctype html><script>alert(1)</script>'),
    expect: 'IMAGE_UNSUPPORTED',
  },
  {
    name: 'PDF',
    make: () => ascii('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF'),
    expect: 'IMAGE_UNSUPPORTED',
  },
  { name: 'BMP', make: () => Buffer.concat([ascii('BM'), Buffer.alloc(60)]), expect: 'IMAGE_UNSUPPORTED' },
  {
    name: 'HEIC brand',
    make: () => Buffer.concat([u32be(24), ascii('ftypheic'), Buffer.alloc(40)]),
    expect: 'IMAGE_UNSUPPORTED',
  },
  {
    name: 'AVIF brand with garbage',
    make: () => Buffer.concat([u32be(24), ascii('ftypavif'), noise(200, 1, 1)]),
    expect: 'IMAGE_CORRUPT',
  },
  {
    name: 'GIF/JavaScript polyglot',
    make: () => ascii('GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;alert(document.domain)//;'),
    expect: 'IMAGE_CORRUPT',
  },
  {
    name: 'JPEG with HTML appended',
    make: async () => Buffer.concat([await photoJpeg(), ascii('<html><script>alert(1)</script></html>')]),
    expect: 'embedding',
  },
  { name: 'GIF of 5000 frames, first frame', make: () => gifFrames(400, 300, 5000), expect: 'embedding' },
  {
    name: 'GIF of 3000 frames, 16 sampled',
    make: () => gifFrames(100, 100, 3000),
    frames: 16,
    expect: 'embedding',
  },
  {
    name: 'GIF of 5000 frames on a 2000×2000 canvas, 16 sampled',
    make: () => gifFrames(2000, 2000, 5000),
    frames: 16,
    expect: 'IMAGE_TOO_MANY_FRAMES',
  },
  {
    name: 'CMYK JPEG',
    make: () => raw(200, 150, 3).toColourspace('cmyk').jpeg().toBuffer(),
    expect: 'embedding',
  },
  {
    name: '16-bit RGB PNG',
    make: () => raw(120, 90, 3).toColourspace('rgb16').png().toBuffer(),
    expect: 'embedding',
  },
  {
    name: '16-bit grey PNG',
    make: () => raw(90, 120, 1).toColourspace('grey16').png().toBuffer(),
    expect: 'embedding',
  },
  { name: 'grey + alpha PNG', make: () => raw(150, 100, 2).png().toBuffer(), expect: 'embedding' },
  { name: 'EXIF orientation 255 in a looping IFD', make: exifLoop, expect: 'embedding' },
  {
    name: 'interlaced PNG',
    make: () => raw(300, 300, 4).png({ progressive: true }).toBuffer(),
    expect: 'embedding',
  },
  {
    name: 'PNG with a 1 MB text chunk',
    make: () =>
      pngChunks([
        ['IHDR', Buffer.from([0, 0, 0, 4, 0, 0, 0, 4, 8, 0, 0, 0, 0])],
        ['tEXt', Buffer.alloc(1 << 20, 65)],
        ['IDAT', deflateSync(Buffer.alloc(20))],
        ['IEND', Buffer.alloc(0)],
      ]),
    expect: 'embedding',
  },
  { name: 'multi-page TIFF', make: multiPageTiff, frames: 2, expect: 'embedding' },
  {
    name: 'animated WebP',
    make: () =>
      sharp(noise(40, 200, 4), { raw: { width: 40, height: 200, channels: 4, pageHeight: 40 } })
        .webp()
        .toBuffer(),
    frames: 3,
    expect: 'embedding',
  },
  {
    name: 'file over the byte limit',
    make: () => Buffer.concat([pngBombHeader(10, 10), Buffer.alloc(21 * 1024 * 1024)]),
    expect: 'IMAGE_TOO_LARGE',
  },
];

function multiPageTiff(): Promise<Buffer> {
  return sharp(noise(64, 48 * 3, 3), { raw: { width: 64, height: 144, channels: 3, pageHeight: 48 } })
    .tiff()
    .toBuffer();
}
