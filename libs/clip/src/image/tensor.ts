import type { PreprocessConfig } from './preprocess-config';

/** Interleaved 8-bit pixels. */
export interface RawFrame {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/** Interleaved 8-bit RGB (or more channels, the first three used) → normalised float32 CHW. */
export function toChwTensor(frame: RawFrame, config: PreprocessConfig): Float32Array {
  const plane = frame.width * frame.height;
  const out = new Float32Array(3 * plane);
  const { data, channels } = frame;
  for (let c = 0; c < 3; c++) {
    const scale = config.rescaleFactor / config.std[c];
    const shift = config.mean[c] / config.std[c];
    const base = c * plane;
    for (let i = 0, j = c; i < plane; i++, j += channels) out[base + i] = data[j] * scale - shift;
  }
  return out;
}
