/**
 * Pillow's RGBA→RGBa and RGBa→RGBA conversions (libImaging/Convert.c), which `Image.resize` wraps around
 * a bicubic resize of LA and RGBA images. The last channel is alpha.
 */
export function premultiply(data: Uint8Array, channels: number): Uint8Array {
  const a = channels - 1;
  const out = Uint8Array.from(data);
  for (let i = 0; i < out.length; i += channels) {
    for (let c = 0; c < a; c++) {
      const tmp = out[i + c] * out[i + a] + 128;
      out[i + c] = ((tmp >> 8) + tmp) >> 8;
    }
  }
  return out;
}

/** In place; alpha 0 and 255 keep their values, as Pillow's rgba2rgbA does. */
export function unpremultiply(data: Uint8Array, channels: number): void {
  const a = channels - 1;
  for (let i = 0; i < data.length; i += channels) {
    const alpha = data[i + a];
    if (alpha === 0 || alpha === 255) continue;
    for (let c = 0; c < a; c++) data[i + c] = Math.min(255, Math.trunc((255 * data[i + c]) / alpha));
  }
}
