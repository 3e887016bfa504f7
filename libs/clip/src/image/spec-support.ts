import { crc32, deflateSync } from 'node:zlib';

// Image headers built byte by byte for the preprocessing specs, so each case holds exactly the structure it
// names: GIFs from the GIF89a specification, PNG signatures with their IHDR.

export const SIGNATURE = [...Buffer.from('GIF89a')];

/** Logical screen descriptor: 1x1 screen, packed flags, background index 0, no aspect ratio. */
export function screen(flags: number): number[] {
  return [1, 0, 1, 0, flags, 0, 0];
}

/** Packed flag for a colour table of 2^(bits+1) entries (bit 7 says the table is present). */
export const tableFlag = (entries: number) => 0x80 | (Math.log2(entries) - 1);

/** Image descriptor at (0, 0), 1x1, with its packed flags. */
export function descriptor(flags: number): number[] {
  return [0x2c, 0, 0, 0, 0, 1, 0, 1, 0, flags];
}

/** Graphic control extension: packed flags (bit 0: transparent index present), no delay, the index. */
export function graphicControl(flags: number, transparentIndex: number): number[] {
  return [0x21, 0xf9, 0x04, flags, 0, 0, transparentIndex, 0x00];
}

/** LZW minimum code size, one data sub-block, the terminator and the trailer: the frame's pixels. */
export const PIXELS = [0x02, 0x02, 0x44, 0x01, 0x00, 0x3b];

export function gif(...parts: number[][]): Uint8Array {
  return Uint8Array.from(parts.flat());
}

export const greyRamp = (entries: number) => Array.from({ length: entries }, (_, i) => [i, i, i]).flat();
export const RED_GREEN_BLUE_WHITE = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255];

/**
 * GIF image data for `indices` without compression: a clear code before every index keeps the LZW table empty
 * and the code width at minCodeSize + 1 bits, which every decoder reads the same way.
 */
export function lzwUncompressed(indices: readonly number[], minCodeSize: number): number[] {
  const clear = 1 << minCodeSize;
  const width = minCodeSize + 1;
  const codes = [...indices.flatMap((i) => [clear, i]), clear + 1];
  const bytes: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const code of codes) {
    acc |= code << bits;
    bits += width;
    while (bits >= 8) {
      bytes.push(acc & 0xff);
      acc >>>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) bytes.push(acc & 0xff);
  const blocks: number[] = [];
  for (let i = 0; i < bytes.length; i += 255) {
    const block = bytes.slice(i, i + 255);
    blocks.push(block.length, ...block);
  }
  return [minCodeSize, ...blocks, 0x00];
}

/** A whole GIF89a of one frame covering the screen: its colour table, transparent index if any, its pixels. */
export function gifImage(
  width: number,
  height: number,
  table: readonly number[],
  indices: readonly number[],
  transparentIndex?: number,
): Uint8Array {
  const entries = table.length / 3;
  const le16 = (v: number) => [v & 0xff, v >> 8];
  return gif(
    SIGNATURE,
    [...le16(width), ...le16(height), tableFlag(entries), 0, 0],
    [...table],
    transparentIndex === undefined ? [] : graphicControl(1, transparentIndex),
    [0x2c, 0, 0, 0, 0, ...le16(width), ...le16(height), 0],
    lzwUncompressed(indices, Math.max(2, Math.log2(entries))),
    [0x3b],
  );
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG signature and IHDR chunk (1x1) with the given bit depth and colour type, cut to `length` bytes. */
export function pngHeader(depth: number, colourType: number, length = 33): Uint8Array {
  const ihdr = Uint8Array.from([0, 0, 0, 1, 0, 0, 0, 1, depth, colourType, 0, 0, 0]);
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr)]).subarray(0, length);
}

/**
 * An 8-bit RGB PNG of one colour, with optional extra chunks before the pixels (tRNS, iCCP): written by hand
 * because encoders (sharp included) convert pixels to an attached profile and do not write colour keys.
 */
export function rgbPng(width: number, height: number, rgb: readonly number[], extra: Buffer[] = []): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = [0, ...Array.from({ length: width }, () => rgb).flat()];
  const raw = Uint8Array.from(Array.from({ length: height }, () => row).flat());
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    ...extra,
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

/** A tRNS chunk making one RGB colour fully transparent (PNG's colour key). */
export const trnsColourKey = (rgb: readonly number[]) =>
  pngChunk('tRNS', Uint8Array.from(rgb.flatMap((v) => [0, v])));

/** An iCCP chunk embedding `profile`. */
export const iccpChunk = (profile: Uint8Array) =>
  pngChunk('iCCP', Buffer.concat([Buffer.from('icc\0\0', 'latin1'), deflateSync(profile)]));
