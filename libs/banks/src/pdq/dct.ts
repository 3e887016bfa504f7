// The 64×64 → 16×16 partial DCT and the dihedral coefficient shuffles of Meta's
// pdq/cpp/hashing/pdqhashing.cpp, in float32 like the reference.
const f32 = Math.fround;

/** Rows 1..16 of the 64-point DCT-II basis (row 0, the DC term, is not used). 16 × 64, row-major. */
const DCT_16x64: Float32Array = (() => {
  const scale = f32(Math.sqrt(2 / 64));
  const d = new Float32Array(16 * 64);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) d[i * 64 + j] = scale * Math.cos((Math.PI / 2 / 64) * (i + 1) * (2 * j + 1));
  }
  return d;
})();

/** B = D A Dᵀ for a 64×64 A, summing in the reference's order. */
export function dct64To16(a: Float32Array): Float32Array {
  const t = new Float32Array(16 * 64);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) {
      let sum = 0;
      for (let k = 0; k < 64; k++) sum = f32(sum + f32(DCT_16x64[i * 64 + k] * a[k * 64 + j]));
      t[i * 64 + j] = sum;
    }
  }
  const b = new Float32Array(16 * 16);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      let sum = 0;
      for (let k = 0; k < 64; k++) sum = f32(sum + f32(t[i * 64 + k] * DCT_16x64[j * 64 + k]));
      b[i * 16 + j] = sum;
    }
  }
  return b;
}

/**
 * The eight symmetries of the square, as the reference names them. Each maps the original image's DCT
 * to the DCT of the transformed image by sign changes and a transpose, so all eight hashes cost one DCT.
 */
export const DIHEDRAL_VARIANTS = [
  'original',
  'rotate90',
  'rotate180',
  'rotate270',
  'flipX',
  'flipY',
  'flipPlus1',
  'flipMinus1',
] as const;
export type DihedralVariant = (typeof DIHEDRAL_VARIANTS)[number];

/** Sign of coefficient (i, j) and whether it moves to (j, i), per pdqhashing.cpp's dct16OriginalTo*. */
const SHUFFLES: Record<DihedralVariant, { transpose: boolean; negate: (i: number, j: number) => boolean }> = {
  original: { transpose: false, negate: () => false },
  rotate90: { transpose: true, negate: (_i, j) => (j & 1) === 0 },
  rotate180: { transpose: false, negate: (i, j) => ((i + j) & 1) === 1 },
  rotate270: { transpose: true, negate: (i) => (i & 1) === 0 },
  flipX: { transpose: false, negate: (i) => (i & 1) === 0 },
  flipY: { transpose: false, negate: (_i, j) => (j & 1) === 0 },
  flipPlus1: { transpose: true, negate: () => false },
  flipMinus1: { transpose: true, negate: (i, j) => ((i + j) & 1) === 1 },
};

export function dihedralDct(dct16: Float32Array, variant: DihedralVariant): Float32Array {
  const { transpose, negate } = SHUFFLES[variant];
  const out = new Float32Array(256);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      const v = negate(i, j) ? -dct16[i * 16 + j] : dct16[i * 16 + j];
      out[transpose ? j * 16 + i : i * 16 + j] = v;
    }
  }
  return out;
}
