// Meta's PDQ photo hash (pdq/cpp/hashing/pdqhashing.cpp), ported for clipguard.
// Written here because no npm package implements PDQ (none found in the registry's lists or docs); the
// port follows the C++ reference step by step in float32 so that, fed the same pixels, it produces the
// reference's hash and quality exactly (checked in pdq.spec.ts against values from Meta's C++ build).
import { BankError } from '../errors';
import { dct64To16, dihedralDct, DIHEDRAL_VARIANTS, type DihedralVariant } from './dct';
import { decimate, jaroszFilter, jaroszWindowSize } from './jarosz';
import { PDQ_WORDS, setPdqBit, type PdqHash, type PdqResult } from './pdq-hash';

const f32 = Math.fround;
const LUMA_R = f32(0.299);
const LUMA_G = f32(0.587);
const LUMA_B = f32(0.114);
/** Below this many pixels on a side the reference returns an all-zero hash of quality 0. */
export const PDQ_MIN_DIMENSION = 5;
const JAROSZ_PASSES = 2;

/** Interleaved 8-bit pixels: 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA) channels; alpha is ignored. */
export interface RawPixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/** Luminance as the reference computes it: Y = 0.299 R + 0.587 G + 0.114 B in float32; grey is used as is. */
export function lumaFromPixels({ data, width, height, channels }: RawPixels): Float32Array {
  const n = width * height;
  if (data.length < n * channels) {
    throw new BankError('PIXELS_INVALID', `${width}×${height}×${channels} pixels need ${n * channels} bytes`);
  }
  const luma = new Float32Array(n);
  if (channels <= 2) {
    for (let i = 0; i < n; i++) luma[i] = data[i * channels];
    return luma;
  }
  for (let i = 0; i < n; i++) {
    const p = i * channels;
    luma[i] = f32(f32(f32(LUMA_R * data[p]) + f32(LUMA_G * data[p + 1])) + f32(LUMA_B * data[p + 2]));
  }
  return luma;
}

/**
 * Counts significant gradients of the 64×64 downsample, heuristically scaled to 0–100
 * (pdqImageDomainQualityMetric); each difference is truncated to an integer percentage first.
 */
export function pdqQuality(downsample64: Float32Array): number {
  let gradientSum = 0;
  const step = (u: number, v: number) => Math.abs(Math.trunc(f32(f32(f32(u - v) * 100) / 255)));
  for (let i = 0; i < 63; i++) {
    for (let j = 0; j < 64; j++)
      gradientSum += step(downsample64[i * 64 + j], downsample64[(i + 1) * 64 + j]);
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 63; j++) gradientSum += step(downsample64[i * 64 + j], downsample64[i * 64 + j + 1]);
  }
  return Math.min(100, Math.trunc(gradientSum / 90));
}

/**
 * One bit per coefficient: set when it is above the median. The reference's Torben median of 256 values
 * is the 128th smallest, which a sort gives directly.
 */
export function bitsAboveMedian(dct16: Float32Array): PdqHash {
  const median = Float32Array.from(dct16).sort()[127];
  const hash = new Uint32Array(PDQ_WORDS);
  for (let k = 0; k < 256; k++) if (dct16[k] > median) setPdqBit(hash, k);
  return hash;
}

interface Spectrum {
  dct16: Float32Array;
  quality: number;
}

function spectrumFromLuma(luma: Float32Array, width: number, height: number): Spectrum | undefined {
  if (width < PDQ_MIN_DIMENSION || height < PDQ_MIN_DIMENSION) return undefined;
  let downsample: Float32Array;
  if (width === 64 && height === 64) {
    downsample = luma;
  } else {
    const buffer1 = Float32Array.from(luma);
    const buffer2 = new Float32Array(luma.length);
    jaroszFilter(
      buffer1,
      buffer2,
      height,
      width,
      jaroszWindowSize(width, 64),
      jaroszWindowSize(height, 64),
      JAROSZ_PASSES,
    );
    downsample = decimate(buffer1, height, width, 64, 64);
  }
  return { dct16: dct64To16(downsample), quality: pdqQuality(downsample) };
}

/** PDQ of a luminance plane (pdqHash256FromFloatLuma): Jarosz tent filter to 64×64, DCT to 16×16, median. */
export function pdqFromLuma(luma: Float32Array, width: number, height: number): PdqResult {
  const spectrum = spectrumFromLuma(luma, width, height);
  if (!spectrum) return { hash: new Uint32Array(PDQ_WORDS), quality: 0 };
  return { hash: bitsAboveMedian(spectrum.dct16), quality: spectrum.quality };
}

export function pdqFromPixels(pixels: RawPixels): PdqResult {
  return pdqFromLuma(lumaFromPixels(pixels), pixels.width, pixels.height);
}

export type DihedralHashes = Record<DihedralVariant, PdqHash>;

/**
 * The hashes of the image's eight rotations and flips from one DCT (pdqDihedralHash256esFromFloatLuma);
 * `original` equals pdqFromPixels' hash.
 */
export function pdqDihedralFromPixels(pixels: RawPixels): { hashes: DihedralHashes; quality: number } {
  const spectrum = spectrumFromLuma(lumaFromPixels(pixels), pixels.width, pixels.height);
  const hashes = {} as DihedralHashes;
  for (const variant of DIHEDRAL_VARIANTS) {
    hashes[variant] = spectrum
      ? bitsAboveMedian(dihedralDct(spectrum.dct16, variant))
      : new Uint32Array(PDQ_WORDS);
  }
  return { hashes, quality: spectrum?.quality ?? 0 };
}
