import type { PreprocessConfig } from './preprocess-config';

/** Interleaved 8-bit pixels. */
export interface RawFrame {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/**
 * Interleaved 8-bit RGB (or more channels, the first three used) → normalised float32 CHW. Each channel has
 * 256 possible values, so they are computed once (`v·scale − shift`, in double as before, then stored as
 * float32) and the pixels only look them up in one pass.
 */
export function toChwTensor(frame: RawFrame, config: PreprocessConfig): Float32Array {
  const plane = frame.width * frame.height;
  const out = new Float32Array(3 * plane);
  const { data, channels } = frame;
  const lut = new Float64Array(3 * 256);
  for (let c = 0; c < 3; c++) {
    const scale = config.rescaleFactor / config.std[c];
    const shift = config.mean[c] / config.std[c];
    for (let v = 0; v < 256; v++) lut[c * 256 + v] = v * scale - shift;
  }
  for (let i = 0, j = 0; i < plane; i++, j += channels) {
    out[i] = lut[data[j]];
    out[plane + i] = lut[256 + data[j + 1]];
    out[2 * plane + i] = lut[512 + data[j + 2]];
  }
  return out;
}
