import type { Box, Size } from './geometry';
import { bicubicSourceBox, pilBicubicCrop, type PixelWindow } from './pil-bicubic';

function noise(size: Size, channels: number, seed: number): Uint8Array {
  const out = new Uint8Array(size.width * size.height * channels);
  let s = seed;
  for (let i = 0; i < out.length; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    out[i] = s % 256;
  }
  return out;
}

function window(data: Uint8Array, size: Size, channels: number, box: Box): PixelWindow {
  const out = new Uint8Array(box.width * box.height * channels);
  for (let y = 0; y < box.height; y++) {
    const from = ((box.top + y) * size.width + box.left) * channels;
    out.set(data.subarray(from, from + box.width * channels), y * box.width * channels);
  }
  return { data: out, box, channels };
}

describe('pilBicubicCrop computes a window of the resize exactly', () => {
  it.each([
    [{ width: 13, height: 40 }, { width: 224, height: 689 }, 3],
    [{ width: 90, height: 31 }, { width: 650, height: 224 }, 4],
    [{ width: 191, height: 384 }, { width: 224, height: 450 }, 1],
    [{ width: 100, height: 224 }, { width: 224, height: 501 }, 3],
  ])('%o → %o, %i channels', (source, target, channels) => {
    const data = noise(source, channels, source.width * 7 + target.height);
    const whole = { left: 0, top: 0, ...source };
    const full = pilBicubicCrop({ data, box: whole, channels }, source, target, {
      left: 0,
      top: 0,
      ...target,
    });
    for (const crop of [
      { left: 0, top: 0, width: 224, height: 224 },
      { left: target.width - 224, top: target.height - 224, width: 224, height: 224 },
      { left: 17, top: 101, width: 50, height: 31 },
      { left: -3, top: -2, width: 224, height: 230 },
    ]) {
      const box = bicubicSourceBox(source, target, crop)!;
      const part = pilBicubicCrop(window(data, source, channels, box), source, target, crop);
      for (let y = 0; y < crop.height; y++) {
        for (let x = 0; x < crop.width; x++) {
          const inside =
            x + crop.left >= 0 &&
            y + crop.top >= 0 &&
            x + crop.left < target.width &&
            y + crop.top < target.height;
          for (let c = 0; c < channels; c++) {
            const expected = inside
              ? full.data[((y + crop.top) * target.width + x + crop.left) * channels + c]
              : 0;
            if (part.data[(y * crop.width + x) * channels + c] !== expected) {
              throw new Error(`crop ${JSON.stringify(crop)} differs at ${x},${y},${c}`);
            }
          }
        }
      }
      // Work bounded by the crop: its columns over the rows the vertical taps read, then the crop itself.
      expect(part.samples).toBeLessThanOrEqual((box.height + crop.height) * crop.width * channels);
    }
  });
});
