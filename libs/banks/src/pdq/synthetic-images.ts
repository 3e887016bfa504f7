import type { RawPixels } from './pdq';

/**
 * Small images defined by formulas, for checking the PDQ port against Meta's C++ build: the same
 * formulas were written out as PNM files and hashed by the reference (see docs/banks.md), so the specs
 * can compare with those published values without shipping image files.
 */
export interface SyntheticImage {
  name: string;
  pixels: RawPixels;
}

function image(
  name: string,
  width: number,
  height: number,
  channels: 1 | 3,
  f: (x: number, y: number, c: number) => number,
): SyntheticImage {
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        data[(y * width + x) * channels + c] = Math.max(0, Math.min(255, Math.round(f(x, y, c))));
      }
    }
  }
  return { name, pixels: { data, width, height, channels } };
}

/** A deterministic 32-bit LCG (Numerical Recipes constants) so "noise" is the same everywhere. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function syntheticImages(): SyntheticImage[] {
  const rand = lcg(13);
  const noise = Array.from({ length: 97 * 61 * 3 }, () => Math.floor(rand() * 256));
  return [
    image('flat', 128, 96, 3, () => 128),
    image('gradient', 200, 150, 3, (x, y, c) => (c === 0 ? x : c === 1 ? y * 1.5 : (x + y) / 2)),
    image('faint-waves', 300, 200, 3, (x, y) => 128 + 3 * Math.sin(x / 7) * Math.cos(y / 11)),
    image('soft-waves', 300, 200, 3, (x, y) => 128 + 12 * Math.sin(x / 9) * Math.cos(y / 13)),
    image('waves-16', 300, 200, 3, (x, y) => 128 + 16 * Math.sin(x / 9) * Math.cos(y / 13)),
    image('waves-17', 300, 200, 3, (x, y) => 128 + 17 * Math.sin(x / 9) * Math.cos(y / 13)),
    image('waves', 257, 131, 3, (x, y, c) => 128 + 100 * Math.sin((x + 20 * c) / 9) * Math.cos(y / 5)),
    image('checker-64', 64, 64, 1, (x, y) => (((x >> 3) + (y >> 3)) & 1 ? 230 : 20)),
    image('grey-ramp', 90, 70, 1, (x, y) => (x * 255) / 89 + (y % 7) * 3),
    image('noise', 97, 61, 3, (x, y, c) => noise[(y * 97 + x) * 3 + c]),
    image('tiny', 4, 9, 3, (x, y) => x * 60 + y * 10),
    image(
      'large-waves',
      1000,
      700,
      3,
      (x, y, c) => 128 + 90 * Math.sin((x * (c + 1)) / 37) * Math.cos(y / 23),
    ),
  ];
}
