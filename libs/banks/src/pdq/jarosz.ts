// Meta's PDQ downscaler (pdq/cpp/downscaling/downscaling.cpp), ported operation for operation.
// The reference computes in float32; every sum and quotient here goes through Math.fround or a
// Float32Array so that the 64×64 downsample, and so the hash, is bit-identical to the C++ code.
const f32 = Math.fround;

/**
 * Box-filter window along one axis: two X,Y passes of half a 64th of the image make a tent filter
 * that spans one output pixel (Wojciech Jarosz, "Fast Image Convolutions", 2001). Rounds up.
 */
export function jaroszWindowSize(oldDimension: number, newDimension: number): number {
  return Math.trunc((oldDimension + 2 * newDimension - 1) / (2 * newDimension));
}

/** One 1-D box filter pass, with the reference's shrinking windows at both ends. */
function box1D(
  input: Float32Array,
  output: Float32Array,
  offset: number,
  length: number,
  stride: number,
  fullWindow: number,
): void {
  const halfWindow = Math.trunc((fullWindow + 2) / 2);
  const phase1 = halfWindow - 1;
  const phase2 = fullWindow - halfWindow + 1;
  const phase3 = length - fullWindow;
  const phase4 = halfWindow - 1;
  let li = offset;
  let ri = offset;
  let oi = offset;
  let sum = 0;
  let window = 0;
  for (let i = 0; i < phase1; i++, ri += stride) {
    sum = f32(sum + input[ri]);
    window++;
  }
  for (let i = 0; i < phase2; i++, ri += stride, oi += stride) {
    sum = f32(sum + input[ri]);
    window++;
    output[oi] = sum / window;
  }
  for (let i = 0; i < phase3; i++, li += stride, ri += stride, oi += stride) {
    sum = f32(sum + input[ri]);
    sum = f32(sum - input[li]);
    output[oi] = sum / window;
  }
  for (let i = 0; i < phase4; i++, li += stride, oi += stride) {
    sum = f32(sum - input[li]);
    window--;
    output[oi] = sum / window;
  }
}

/**
 * Two X,Y passes of box filters (a tent filter) in place on `buffer1`; `buffer2` is scratch of the
 * same size. Both are rows × cols, row-major.
 */
export function jaroszFilter(
  buffer1: Float32Array,
  buffer2: Float32Array,
  rows: number,
  cols: number,
  windowAlongRows: number,
  windowAlongCols: number,
  passes: number,
): void {
  for (let p = 0; p < passes; p++) {
    for (let i = 0; i < rows; i++) box1D(buffer1, buffer2, i * cols, cols, 1, windowAlongRows);
    for (let j = 0; j < cols; j++) box1D(buffer2, buffer1, j, rows, cols, windowAlongCols);
  }
}

/** Samples the filtered image at the centres of the output cells. */
export function decimate(
  input: Float32Array,
  inRows: number,
  inCols: number,
  outRows: number,
  outCols: number,
): Float32Array {
  const out = new Float32Array(outRows * outCols);
  for (let i = 0; i < outRows; i++) {
    const ini = Math.trunc(((i + 0.5) * inRows) / outRows);
    for (let j = 0; j < outCols; j++) {
      const inj = Math.trunc(((j + 0.5) * inCols) / outCols);
      out[i * outCols + j] = input[ini * inCols + inj];
    }
  }
  return out;
}
