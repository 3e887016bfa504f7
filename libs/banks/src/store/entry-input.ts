import { createHash } from 'node:crypto';
import type { ImageLimits } from '@clipguard/config';
import { BankError } from '../errors';
import type { Bank } from '../matching/bank';
import { assertKind, parseSha256, pdqEntryValue, unitVector, type EntryValue } from '../matching/entry';
import { pdqHashImage } from '../pdq/pdq-image';
import { PDQ_MIN_QUALITY, pdqToHex } from '../pdq/pdq-hash';

/** What a person hands a bank: an image (hashed as the bank needs), or the hash or embedding itself. */
export type EntryInput =
  | { image: Uint8Array }
  | { sha256: string }
  | { pdq: string; quality?: number }
  | { embedding: ArrayLike<number>; modelId?: string };

export interface EntryValueOptions {
  /** The image's CLIP embedding under the bank's model, if this process can get it (encoder or store). */
  embeddingOf?: (image: Uint8Array, sha256: string, modelId: string) => Promise<Float32Array | undefined>;
  limits?: ImageLimits;
}

export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The entry value for a bank, from what was given, refused with a BankError when it does not fit. */
export async function entryValueFor(
  bank: Bank,
  input: EntryInput,
  options: EntryValueOptions = {},
): Promise<EntryValue> {
  let value: EntryValue;
  if ('image' in input) value = await fromImage(bank, input.image, options);
  else if ('sha256' in input) value = { kind: 'sha256', sha256: parseSha256(input.sha256) };
  else if ('pdq' in input) value = pdqEntryValue(input.pdq.trim().toLowerCase(), input.quality);
  else {
    const modelId = input.modelId ?? bank.modelId ?? '';
    value = { kind: 'embedding', vector: unitVector(input.embedding), modelId };
  }
  assertKind(value, bank.kind, bank.id);
  if (value.kind === 'embedding' && value.modelId !== bank.modelId) {
    throw new BankError(
      'EMBEDDING_INVALID',
      `bank ${bank.id} holds embeddings of model ${bank.modelId}, not ${value.modelId}`,
    );
  }
  return value;
}

async function fromImage(bank: Bank, image: Uint8Array, options: EntryValueOptions): Promise<EntryValue> {
  const sha256 = sha256Of(image);
  switch (bank.kind) {
    case 'sha256':
      return { kind: 'sha256', sha256 };
    case 'pdq': {
      const { hash, quality } = await pdqHashImage(image, options.limits);
      if (quality < PDQ_MIN_QUALITY) {
        throw new BankError(
          'PDQ_LOW_QUALITY',
          `the image's PDQ hash ${pdqToHex(hash)} has quality ${quality}, below ${PDQ_MIN_QUALITY}: too flat to match reliably`,
        );
      }
      return { kind: 'pdq', hash, quality };
    }
    case 'embedding': {
      const modelId = bank.modelId ?? '';
      const vector = await options.embeddingOf?.(image, sha256, modelId);
      if (!vector) {
        throw new BankError(
          'EMBEDDING_UNAVAILABLE',
          `no ${modelId} embedding of this image here: submit it for moderation first, or send its embedding`,
        );
      }
      return { kind: 'embedding', vector: unitVector(vector), modelId };
    }
  }
}
