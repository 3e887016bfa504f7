import { BankError } from '../errors';

/**
 * A 256-bit PDQ hash as eight 32-bit words; bit k (the k-th DCT coefficient, row-major) is bit k % 32 of
 * word k / 32. 32-bit words keep Hamming distance on plain numbers (no BigInt) and make a bank a flat
 * Uint32Array.
 */
export type PdqHash = Uint32Array;

export const PDQ_WORDS = 8;
export const PDQ_BITS = 256;
/** Meta's recommendation (pdq/README.md): discard hashes of quality ≤ 49. */
export const PDQ_MIN_QUALITY = 50;
/** Meta's recommended starting threshold (pdq/README.md): distance ≤ 31 is a match. */
export const PDQ_DEFAULT_MAX_DISTANCE = 31;

export interface PdqResult {
  hash: PdqHash;
  /** 0–100: how much gradient the 64×64 downsample has; flat images score low. */
  quality: number;
}

/**
 * Meta's text form: 64 hex digits, most significant first, exactly as the reference's Hash256::format()
 * prints its sixteen 16-bit words from w[15] down to w[0] (and as hash exchanges publish them).
 */
export function pdqToHex(hash: PdqHash): string {
  let out = '';
  for (let m = PDQ_WORDS - 1; m >= 0; m--) out += hash[m].toString(16).padStart(8, '0');
  return out;
}

export function pdqFromHex(text: string): PdqHash {
  if (!/^[0-9a-fA-F]{64}$/.test(text)) {
    throw new BankError('PDQ_HASH_INVALID', `a PDQ hash is 64 hex digits, got "${text.slice(0, 80)}"`);
  }
  const hash = new Uint32Array(PDQ_WORDS);
  for (let m = 0; m < PDQ_WORDS; m++) {
    const start = (PDQ_WORDS - 1 - m) * 8;
    hash[m] = parseInt(text.slice(start, start + 8), 16);
  }
  return hash;
}

/** Bits set in a 32-bit word (SWAR popcount: a handful of integer ops, no lookup table). */
export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export function pdqDistance(a: PdqHash, b: PdqHash): number {
  let d = 0;
  for (let m = 0; m < PDQ_WORDS; m++) d += popcount32(a[m] ^ b[m]);
  return d;
}

export function setPdqBit(hash: PdqHash, k: number): void {
  hash[k >>> 5] |= 1 << (k & 31);
}

export function pdqBit(hash: PdqHash, k: number): boolean {
  return ((hash[k >>> 5] >>> (k & 31)) & 1) === 1;
}
