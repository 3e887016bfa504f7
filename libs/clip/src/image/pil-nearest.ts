/**
 * Pillow 9.4's nearest-neighbour resize (`Image.resize` on modes "P" and "1", whatever filter is asked for):
 * `_resize` in _imaging.c builds the affine map `a0 = (float)inSize / outSize`, and `ImagingScaleAffine`
 * (libImaging/Geometry.c) walks it by accumulation, `xo = a0 * 0.5; xin = COORD(xo); xo += a0`, so each
 * source index carries the rounding of every addition before it. Written here because no library
 * reproduces that sum; to keep the cost bounded by the crop, the sum is advanced in closed form.
 */

/** Geometry.c's COORD(v): -1 for negative coordinates, else truncation. */
const coord = (v: number) => (v < 0 ? -1 : Math.trunc(v));

const float64 = new DataView(new ArrayBuffer(8));

/**
 * The power of two at or below a positive normal x, read from its exponent bits: exact, where
 * `2 ** Math.floor(Math.log2(x))` is one binade too high just below a power of two (log2 rounds up to it).
 */
export function binadeStart(x: number): number {
  float64.setFloat64(0, x);
  return 2 ** (((float64.getUint16(0) >> 4) & 0x7ff) - 1023);
}

/**
 * The value of `x` after `n` double additions of `step` (`x += step`, each rounded), without doing all n:
 * inside one binade every addition after the first adds the same amount (ulps are equal there, and after a
 * round-half-to-even tie the sum stays even), so whole runs are jumped in one exact multiplication.
 */
export function accumulate(start: number, step: number, n: number): number {
  let x = start;
  let left = n;
  while (left > 0) {
    x += step;
    left--;
    if (left < 4 || x <= 0 || step <= 0) continue;
    const b = binadeStart(x);
    if (step >= b || binadeStart(x + step) !== b) continue;
    // One more real addition inside the binade, so that a tie has made the sum even; from here on every
    // addition adds exactly d until the binade ends.
    x += step;
    left--;
    const d = x + step - x;
    // Stop two additions short of the binade's end; the real additions after the jump cross it.
    const run = Math.min(left, Math.floor((2 * b - x) / d) - 2);
    if (run <= 0) continue;
    x += run * d;
    left -= run;
  }
  return x;
}

/**
 * Source index of each output index in [first, first + count) for a nearest resize inSize → outSize, or -1
 * where Pillow leaves the pixel at 0 (outside the source; not reached by a plain resize).
 */
export function pilNearestIndices(inSize: number, outSize: number, first: number, count: number): Int32Array {
  const out = new Int32Array(count).fill(-1);
  // box[2] - box[0] is a C float in Pillow, then divided as a double.
  const step = Math.fround(inSize) / outSize;
  let x = accumulate(step * 0.5, step, Math.max(0, first));
  for (let i = 0; i < count; i++) {
    const o = first + i;
    if (o >= 0 && o < outSize) {
      const src = coord(x);
      if (src >= 0 && src < inSize) out[i] = src;
      x += step;
    }
  }
  return out;
}
