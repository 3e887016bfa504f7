import { BankError } from '../errors';
import { PDQ_MIN_QUALITY, pdqFromHex, type PdqHash } from '../pdq/pdq-hash';
import type { BankKind } from './bank';

export const ENTRY_SOURCES = ['review', 'import', 'api', 'cli'] as const;
export type EntrySource = (typeof ENTRY_SOURCES)[number];

export type EntryValue =
  | { kind: 'sha256'; sha256: string }
  /** quality is absent when a hash list was imported without it. */
  | { kind: 'pdq'; hash: PdqHash; quality?: number }
  | { kind: 'embedding'; vector: Float32Array; modelId: string };

/** One row of a bank: what to match and where it came from. */
export interface BankEntry {
  id: string;
  bankId: string;
  value: EntryValue;
  source: EntrySource;
  addedBy: string;
  addedAt: string;
  note: string;
}

const SHA256 = /^[0-9a-f]{64}$/;

export function parseSha256(text: string): string {
  const sha = text.trim().toLowerCase();
  if (!SHA256.test(sha))
    throw new BankError('SHA256_INVALID', `a sha256 is 64 hex digits, got "${text.slice(0, 80)}"`);
  return sha;
}

/** An imported or posted PDQ value; hashes of quality below Meta's 50 are refused, as they match noise. */
export function pdqEntryValue(hex: string, quality?: number): EntryValue {
  if (quality !== undefined && !(Number.isInteger(quality) && quality >= 0 && quality <= 100)) {
    throw new BankError('PDQ_HASH_INVALID', `PDQ quality is a whole number from 0 to 100, got ${quality}`);
  }
  if (quality !== undefined && quality < PDQ_MIN_QUALITY) {
    throw new BankError(
      'PDQ_LOW_QUALITY',
      `PDQ hash of quality ${quality} is below ${PDQ_MIN_QUALITY}: flat images match each other`,
    );
  }
  return { kind: 'pdq', hash: pdqFromHex(hex), quality };
}

/** Cosine similarity is a dot product of unit vectors, so entries and queries are normalised once. */
export function unitVector(values: ArrayLike<number>, dimensions?: number): Float32Array {
  if (dimensions !== undefined && values.length !== dimensions) {
    throw new BankError(
      'EMBEDDING_INVALID',
      `embedding has ${values.length} dimensions, the bank holds ${dimensions}`,
    );
  }
  let norm = 0;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]))
      throw new BankError('EMBEDDING_INVALID', `embedding value ${i} is not a finite number`);
    norm += values[i] * values[i];
  }
  if (values.length === 0 || norm === 0)
    throw new BankError('EMBEDDING_INVALID', 'embedding is empty or all zeros');
  const scale = 1 / Math.sqrt(norm);
  return Float32Array.from(values, (v) => v * scale);
}

export function assertKind(value: EntryValue, kind: BankKind, bankId: string): void {
  if (value.kind !== kind) {
    throw new BankError('BANK_KIND_MISMATCH', `bank ${bankId} holds ${kind} entries, not ${value.kind}`);
  }
}
