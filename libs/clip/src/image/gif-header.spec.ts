import { gifColour, readGifFirstFrame } from './gif-header';
import {
  descriptor,
  gif,
  graphicControl,
  greyRamp,
  PIXELS,
  RED_GREEN_BLUE_WHITE,
  screen,
  SIGNATURE,
  tableFlag,
} from './spec-support';

// The expected modes follow Pillow 9.4's GifImagePlugin: frame 0 is "P" when its colour table (the local one,
// else the global one) is anything but the identity grey ramp (entry i = (i, i, i)), else "L".

describe('readGifFirstFrame', () => {
  it('reads a coloured global table as the first frame palette, in mode P', () => {
    const bytes = gif(SIGNATURE, screen(tableFlag(4)), RED_GREEN_BLUE_WHITE, descriptor(0), PIXELS);
    const frame = readGifFirstFrame(bytes);
    expect(frame).toEqual({
      palette: Uint8Array.from(RED_GREEN_BLUE_WHITE),
      mode: 'P',
      transparency: undefined,
    });
  });

  it.each([2, 4, 256])('reads a %i-entry identity grey ramp as mode L, without a palette', (entries) => {
    const frame = readGifFirstFrame(
      gif(SIGNATURE, screen(tableFlag(entries)), greyRamp(entries), descriptor(0), PIXELS),
    );
    expect(frame).toEqual({ palette: undefined, mode: 'L', transparency: undefined });
  });

  // Pillow's _is_palette_needed: only (i, i, i) at index i for every entry is greyscale. Each table below
  // breaks that in one entry, in one way.
  it.each([
    ['grey but not at its own index', [0, 0, 0, 2, 2, 2]],
    ['red differing from green', [0, 0, 0, 1, 2, 1]],
    ['green differing from blue', [0, 0, 0, 1, 1, 2]],
    ['green and blue together differing from red', [0, 0, 0, 1, 2, 2]],
    ['red alone differing', [0, 0, 0, 2, 1, 1]],
    ['the first entry not black', [1, 1, 1, 1, 1, 1]],
  ])('keeps a palette (mode P) for a grey-looking table with an entry %s', (_name, table) => {
    const frame = readGifFirstFrame(gif(SIGNATURE, screen(tableFlag(2)), table, descriptor(0), PIXELS));
    expect(frame?.mode).toBe('P');
    expect(frame?.palette).toEqual(Uint8Array.from(table));
  });

  it('is mode L without a palette when the GIF has neither a global nor a local table', () => {
    const frame = readGifFirstFrame(gif(SIGNATURE, screen(0), descriptor(0), PIXELS));
    expect(frame).toEqual({ palette: undefined, mode: 'L', transparency: undefined });
  });

  it("uses the first frame's local table, right after its descriptor, when there is no global one", () => {
    const local = [10, 20, 30, 40, 50, 60];
    const frame = readGifFirstFrame(gif(SIGNATURE, screen(0), descriptor(tableFlag(2)), local, PIXELS));
    expect(frame).toEqual({ palette: Uint8Array.from(local), mode: 'P', transparency: undefined });
  });

  it('prefers the local table to the global one, and a grey local table makes the frame L', () => {
    const colouredLocal = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0];
    const withColouredLocal = readGifFirstFrame(
      gif(
        SIGNATURE,
        screen(tableFlag(2)),
        [1, 2, 3, 4, 5, 6],
        descriptor(tableFlag(4)),
        colouredLocal,
        PIXELS,
      ),
    );
    expect(withColouredLocal?.palette).toEqual(Uint8Array.from(colouredLocal));

    const withGreyLocal = readGifFirstFrame(
      gif(
        SIGNATURE,
        screen(tableFlag(4)),
        RED_GREEN_BLUE_WHITE,
        descriptor(tableFlag(2)),
        greyRamp(2),
        PIXELS,
      ),
    );
    expect(withGreyLocal).toEqual({ palette: undefined, mode: 'L', transparency: undefined });
  });

  it('reads the transparent index of a graphic control extension before the image', () => {
    const bytes = gif(
      SIGNATURE,
      screen(tableFlag(4)),
      RED_GREEN_BLUE_WHITE,
      graphicControl(0x01, 3),
      descriptor(0),
      PIXELS,
    );
    expect(readGifFirstFrame(bytes)?.transparency).toBe(3);
  });

  it('has no transparency when the graphic control extension does not set its transparency flag', () => {
    // Disposal method 2 (bits 2-4) set, transparency flag (bit 0) clear: the index byte is not a transparency.
    const bytes = gif(
      SIGNATURE,
      screen(tableFlag(4)),
      RED_GREEN_BLUE_WHITE,
      graphicControl(0x08, 3),
      descriptor(0),
      PIXELS,
    );
    expect(readGifFirstFrame(bytes)?.transparency).toBeUndefined();
  });

  it('keeps the transparency of the last graphic control extension before the image, as Pillow does', () => {
    const bytes = gif(
      SIGNATURE,
      screen(tableFlag(4)),
      RED_GREEN_BLUE_WHITE,
      graphicControl(0x01, 1),
      graphicControl(0x01, 2),
      descriptor(0),
      PIXELS,
    );
    expect(readGifFirstFrame(bytes)?.transparency).toBe(2);
  });

  it('skips other extensions whole, even when their bytes look like a transparency', () => {
    // A comment extension (label 0xfe) shaped like a graphic control block with the flag set, then an
    // application extension (NETSCAPE looping) of two sub-blocks: neither carries a transparent index.
    const comment = [0x21, 0xfe, 0x04, 0x01, 0x00, 0x00, 0x07, 0x00];
    const netscape = [0x21, 0xff, 0x0b, ...Buffer.from('NETSCAPE2.0'), 0x03, 0x01, 0x00, 0x00, 0x00];
    const bytes = gif(
      SIGNATURE,
      screen(tableFlag(4)),
      RED_GREEN_BLUE_WHITE,
      comment,
      netscape,
      descriptor(0),
      PIXELS,
    );
    expect(readGifFirstFrame(bytes)).toEqual({
      palette: Uint8Array.from(RED_GREEN_BLUE_WHITE),
      mode: 'P',
      transparency: undefined,
    });
  });

  it('ignores a graphic control block shorter than the 4 bytes GIF89a fixes', () => {
    const short = [0x21, 0xf9, 0x03, 0x01, 0x00, 0x00, 0x00];
    const bytes = gif(SIGNATURE, screen(tableFlag(4)), RED_GREEN_BLUE_WHITE, short, descriptor(0), PIXELS);
    expect(readGifFirstFrame(bytes)).toEqual({
      palette: Uint8Array.from(RED_GREEN_BLUE_WHITE),
      mode: 'P',
      transparency: undefined,
    });
  });

  it.each([
    ['shorter than the 13-byte header', gif(SIGNATURE, [1, 0, 1, 0])],
    ['the header alone', gif(SIGNATURE, screen(0))],
    ['cut inside the global table', gif(SIGNATURE, screen(tableFlag(4)), [255, 0, 0])],
    ['cut inside an extension', gif(SIGNATURE, screen(0), [0x21, 0xfe, 0x05, 0x41, 0x42])],
    ['a trailer before any image', gif(SIGNATURE, screen(0), [0x3b])],
    ['an unknown block before the image', gif(SIGNATURE, screen(0), [0x00], descriptor(0), PIXELS)],
  ])('returns undefined for a GIF %s (the decoder then reports it)', (_name, bytes) => {
    expect(readGifFirstFrame(bytes)).toBeUndefined();
  });
});

describe('gifColour', () => {
  it('looks a mode P index up in the palette', () => {
    const frame = readGifFirstFrame(
      gif(SIGNATURE, screen(tableFlag(4)), RED_GREEN_BLUE_WHITE, descriptor(0), PIXELS),
    );
    if (!frame) throw new Error('expected a frame');
    expect(gifColour(frame, 0)).toEqual([255, 0, 0]);
    expect(gifColour(frame, 1)).toEqual([0, 255, 0]);
    expect(gifColour(frame, 2)).toEqual([0, 0, 255]);
    expect(gifColour(frame, 3)).toEqual([255, 255, 255]);
  });

  it('shows a mode L index as that grey level', () => {
    const frame = readGifFirstFrame(
      gif(SIGNATURE, screen(tableFlag(256)), greyRamp(256), descriptor(0), PIXELS),
    );
    if (!frame) throw new Error('expected a frame');
    expect(gifColour(frame, 0)).toEqual([0, 0, 0]);
    expect(gifColour(frame, 200)).toEqual([200, 200, 200]);
  });
});
