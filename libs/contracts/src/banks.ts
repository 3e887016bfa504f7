import { z } from 'zod';
import { storableText } from './text';

/**
 * The banks API (`/v1/banks`, tenant API key): a bank is created or changed for the key's tenant;
 * entries are added as an image (hashed as the bank needs), a sha256, a PDQ hash or an embedding.
 */
export const bankBodySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes, at most 63'),
  title: storableText(200).pipe(z.string().min(1)),
  description: storableText(2000).default(''),
  kind: z.enum(['sha256', 'pdq', 'embedding']),
  action: z.enum(['block', 'review', 'allow']),
  /** PDQ: largest Hamming distance that matches (default 31); embedding: smallest cosine similarity. */
  threshold: z.number().finite().optional(),
  enabled: z.boolean().default(true),
  /** Embedding banks (required): the model whose embeddings they hold, as decisions name it (`model_id`). */
  model_id: z.string().min(1).max(200).optional(),
  /** PDQ banks: also match the image's rotations and mirrors. */
  match_dihedral: z.boolean().default(true),
});
export type BankBody = z.infer<typeof bankBodySchema>;

const MAX_EMBEDDING_DIMENSIONS = 4096;

export const bankEntryBodySchema = z
  .strictObject({
    /** The image itself, base64; hashed as the bank needs (an embedding bank needs it already submitted). */
    image_base64: z.base64().optional(),
    sha256: z.string().max(100).optional(),
    pdq: z
      .strictObject({ hash: z.string().max(100), quality: z.number().int().min(0).max(100).optional() })
      .optional(),
    embedding: z.array(z.number().finite()).min(1).max(MAX_EMBEDDING_DIMENSIONS).optional(),
    note: storableText(2000).default(''),
  })
  .refine(
    (b) => [b.image_base64, b.sha256, b.pdq, b.embedding].filter((v) => v !== undefined).length === 1,
    'give exactly one of image_base64, sha256, pdq, embedding',
  );
export type BankEntryBody = z.infer<typeof bankEntryBodySchema>;

export const bankEntriesQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.iso.datetime().optional(),
});

/** A bank as the API returns it. */
export interface BankView {
  id: string;
  title: string;
  description: string;
  tenants: string[];
  kind: 'sha256' | 'pdq' | 'embedding';
  action: 'block' | 'review' | 'allow';
  threshold: number;
  enabled: boolean;
  model_id: string | null;
  match_dihedral: boolean;
  /** Live entries. */
  entries: number;
  /** Whether the caller may change it (its own tenant's bank, not a shared one). */
  writable: boolean;
  created_at: string;
  updated_at: string;
}

/** One entry as the API returns it: the hash itself; an embedding by model and dimensions only. */
export interface BankEntryView {
  id: string;
  bank_id: string;
  kind: 'sha256' | 'pdq' | 'embedding';
  sha256?: string;
  pdq?: { hash: string; quality: number | null };
  embedding?: { model_id: string; dimensions: number };
  source: 'review' | 'import' | 'api' | 'cli';
  added_by: string;
  added_at: string;
  note: string;
}
