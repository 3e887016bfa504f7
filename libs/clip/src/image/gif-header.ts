/** What Pillow 9.4's GifImagePlugin reads before the first frame's pixels, and makes its mode from. */
export interface GifFirstFrame {
  /** The colour table of the first frame (its local table, else the global one), RGB triplets. */
  palette: Uint8Array | undefined;
  /** Pillow decodes frame 0 as "P" unless that table is missing or the identity grey ramp ("L"). */
  mode: 'P' | 'L';
  /** The first frame's transparent index (graphic control extension), if any. */
  transparency: number | undefined;
}

/**
 * Pillow's `_is_palette_needed`: a table whose entry i is (i, i, i) throughout is just greyscale.
 */
function paletteNeeded(p: Uint8Array): boolean {
  for (let i = 0; i + 2 < p.length; i += 3) {
    if (!(i / 3 === p[i] && p[i] === p[i + 1] && p[i + 1] === p[i + 2])) return true;
  }
  return false;
}

/**
 * Reads a GIF's header up to the first image descriptor. Written here because no decoder reports what this
 * needs: libvips expands the palette (and turns transparent pixels into transparent black, where Pillow keeps
 * the palette colour of the transparent index), and Pillow's mode depends on the table's contents.
 * Returns undefined for a header it cannot follow; the decoder then reports the corruption.
 */
export function readGifFirstFrame(bytes: Uint8Array): GifFirstFrame | undefined {
  if (bytes.length < 13) return undefined;
  let at = 13;
  const flags = bytes[10];
  let global: Uint8Array | undefined;
  if (flags & 0x80) {
    const size = 3 << ((flags & 7) + 1);
    global = bytes.subarray(at, at + size);
    at += size;
  }
  let transparency: number | undefined;
  while (at < bytes.length) {
    const block = bytes[at];
    if (block === 0x21) {
      const label = bytes[at + 1];
      at += 2;
      // Pillow keeps the transparency of the last graphic control extension before the image.
      if (label === 0xf9 && bytes[at] >= 4 && bytes[at + 1] & 1) transparency = bytes[at + 4];
      while (at < bytes.length && bytes[at] !== 0) at += bytes[at] + 1;
      at += 1;
    } else if (block === 0x2c) {
      const localFlags = bytes[at + 9];
      const local =
        localFlags & 0x80 ? bytes.subarray(at + 10, at + 10 + (3 << ((localFlags & 7) + 1))) : undefined;
      const table = local ?? global;
      const palette = table && paletteNeeded(table) ? table : undefined;
      return { palette, mode: palette ? 'P' : 'L', transparency };
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** The RGB colour Pillow shows for palette index i of the first frame ("P" via its table, "L" as grey). */
export function gifColour(frame: GifFirstFrame, index: number): [number, number, number] {
  if (!frame.palette) return [index, index, index];
  const p = frame.palette;
  return [p[index * 3] ?? 0, p[index * 3 + 1] ?? 0, p[index * 3 + 2] ?? 0];
}
