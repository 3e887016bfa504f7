/**
 * Pillow's bicubic resampling (libImaging/Resample.c, Pillow 9.x) for 8-bit interleaved pixels, computing only
 * a window of the output (the centre crop).
 *
 * Written here because the reference preprocessing is Pillow's, and for enlargement libvips (sharp) places
 * its samples on another pixel grid: a 191-pixel side grown to 224 lands up to half a pixel away, which costs
 * several percent of cosine similarity. The resize is separable and every output sample depends only on its
 * own taps, so computing the crop's rows and columns alone gives exactly the samples of the full resize:
 * the cost is bounded by the crop, whatever the aspect ratio (a 1×4000 image is 224×896,000 resized).
 */
import type { Box, Size } from './geometry';

const PRECISION_BITS = 32 - 8 - 2;
const SUPPORT = 2;

function bicubic(x: number): number {
  const a = -0.5;
  x = Math.abs(x);
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

/** Fixed-point taps of output samples [first, first + count) of one axis, -1 start where outside. */
export interface Taps {
  /** First source index of each output sample's taps (absolute), or -1 outside the resized axis. */
  start: Int32Array;
  /** One past the last source index. */
  end: Int32Array;
  weights: Int32Array;
  width: number;
}

/**
 * Taps for output samples [first, first + count) of a resize inSize → outSize, exactly as Pillow's
 * precompute_coeffs + normalize_coeffs_8bpc compute them for the whole axis.
 */
export function bicubicTaps(inSize: number, outSize: number, first: number, count: number): Taps {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = SUPPORT * filterScale;
  const width = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(count).fill(-1);
  const end = new Int32Array(count).fill(-1);
  const weights = new Int32Array(count * width);
  const k = new Float64Array(width);
  const ss = 1 / filterScale;
  for (let i = 0; i < count; i++) {
    const xx = first + i;
    if (xx < 0 || xx >= outSize) continue;
    const center = (xx + 0.5) * scale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let total = 0;
    for (let x = 0; x < xmax; x++) {
      k[x] = bicubic((x + xmin - center + 0.5) * ss);
      total += k[x];
    }
    for (let x = 0; x < xmax; x++) {
      const w = total !== 0 ? k[x] / total : 0;
      weights[i * width + x] =
        w < 0 ? Math.trunc(-0.5 + w * (1 << PRECISION_BITS)) : Math.trunc(0.5 + w * (1 << PRECISION_BITS));
    }
    start[i] = xmin;
    end[i] = xmin + xmax;
  }
  return { start, end, weights, width };
}

/** Identity taps for an axis Pillow does not resample (same size): each output sample is its source. */
function identityTaps(size: number, first: number, count: number): Taps {
  const start = new Int32Array(count).fill(-1);
  const end = new Int32Array(count).fill(-1);
  for (let i = 0; i < count; i++) {
    const x = first + i;
    if (x < 0 || x >= size) continue;
    start[i] = x;
    end[i] = x + 1;
  }
  return { start, end, weights: new Int32Array(count).fill(1 << PRECISION_BITS), width: 1 };
}

/** Taps of one axis of the crop: bicubic where the axis is resized, the source itself where it is not. */
export function axisTaps(inSize: number, outSize: number, first: number, count: number): Taps {
  return inSize === outSize ? identityTaps(inSize, first, count) : bicubicTaps(inSize, outSize, first, count);
}

/** Samples this thread's resampler has computed since it started: shows where the work ran. */
let resampled = 0;
export function resampledInThisThread(): number {
  return resampled;
}

const clip8 = (v: number) => {
  const r = Math.floor(v / (1 << PRECISION_BITS));
  return r < 0 ? 0 : r > 255 ? 255 : r;
};

/** Interleaved 8-bit pixels covering `box` of the source image. */
export interface PixelWindow {
  data: Uint8Array;
  box: Box;
  channels: number;
}

export interface CropResult {
  data: Uint8Array;
  /** Output samples computed (both passes, all channels): the work done, bounded by the crop. */
  samples: number;
}

/**
 * The `crop` of a bicubic resize of the whole source to `target`, from a window of the source that holds
 * every tap of the crop (see `bicubicSourceBox`). Horizontal pass first, rounded to 8 bits, then vertical, as
 * Pillow does; samples outside the resized image are 0 (torchvision's padding).
 */
export function pilBicubicCrop(src: PixelWindow, source: Size, target: Size, crop: Box): CropResult {
  const { channels } = src;
  const tx = axisTaps(source.width, target.width, crop.left, crop.width);
  const ty = axisTaps(source.height, target.height, crop.top, crop.height);
  // Horizontal pass over the source rows the vertical taps read (src.box holds them all).
  const rows = src.box.height;
  const mid = new Uint8Array(rows * crop.width * channels);
  const half = 1 << (PRECISION_BITS - 1);
  let samples = 0;
  for (let r = 0; r < rows; r++) {
    const rowBase = r * src.box.width;
    for (let o = 0; o < crop.width; o++) {
      if (tx.start[o] < 0) continue;
      const base = o * tx.width;
      const n = tx.end[o] - tx.start[o];
      const from = tx.start[o] - src.box.left;
      for (let c = 0; c < channels; c++) {
        let ss = half;
        for (let i = 0; i < n; i++)
          ss += src.data[(rowBase + from + i) * channels + c] * tx.weights[base + i];
        mid[(r * crop.width + o) * channels + c] = clip8(ss);
      }
      samples += channels;
    }
  }
  const out = new Uint8Array(crop.width * crop.height * channels);
  for (let o = 0; o < crop.height; o++) {
    if (ty.start[o] < 0) continue;
    const base = o * ty.width;
    const n = ty.end[o] - ty.start[o];
    const from = ty.start[o] - src.box.top;
    for (let x = 0; x < crop.width; x++) {
      if (tx.start[x] < 0) continue;
      for (let c = 0; c < channels; c++) {
        let ss = half;
        for (let i = 0; i < n; i++)
          ss += mid[((from + i) * crop.width + x) * channels + c] * ty.weights[base + i];
        out[(o * crop.width + x) * channels + c] = clip8(ss);
      }
      samples += channels;
    }
  }
  resampled += samples;
  return { data: out, samples };
}

/** The source rectangle every tap of the crop reads: the only part of the image that needs decoding. */
export function bicubicSourceBox(source: Size, target: Size, crop: Box): Box | undefined {
  const tx = axisTaps(source.width, target.width, crop.left, crop.width);
  const ty = axisTaps(source.height, target.height, crop.top, crop.height);
  const x = spanOf(tx);
  const y = spanOf(ty);
  if (!x || !y) return undefined;
  return { left: x.first, top: y.first, width: x.end - x.first, height: y.end - y.first };
}

function spanOf(t: Taps): { first: number; end: number } | undefined {
  let first = Infinity;
  let end = -Infinity;
  for (let i = 0; i < t.start.length; i++) {
    if (t.start[i] < 0) continue;
    first = Math.min(first, t.start[i]);
    end = Math.max(end, t.end[i]);
  }
  return Number.isFinite(first) ? { first, end } : undefined;
}
