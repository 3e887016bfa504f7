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

/** A PNG signature and IHDR chunk (1x1) with the given bit depth and colour type, cut to `length` bytes. */
export function pngHeader(depth: number, colourType: number, length = 33): Uint8Array {
  const ihdr = [0, 0, 0, 13, ...Buffer.from('IHDR'), 0, 0, 0, 1, 0, 0, 0, 1, depth, colourType, 0, 0, 0];
  const crc = [0, 0, 0, 0];
  return Uint8Array.from([0x89, ...Buffer.from('PNG\r\n\x1a\n'), ...ihdr, ...crc]).subarray(0, length);
}
