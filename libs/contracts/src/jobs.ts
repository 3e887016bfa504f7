import { z } from 'zod';

/**
 * Job payloads that cross processes, each with a version field. The job catalogue in libs/queue pairs each
 * queue with its payload schema, job ids and options.
 */
export const QUEUES = {
  embed: 'embed',
  decide: 'decide',
  callback: 'callback',
} as const;
export type QueueName = keyof typeof QUEUES;

export const embedJobSchema = z.strictObject({
  v: z.literal(1),
  submissionId: z.uuid(),
});

const policySimilarities = z.strictObject({
  policyId: z.string(),
  version: z.number().int(),
  hash: z.string(),
  /** frames × prompts, prompts in the policy's compiled order. */
  similarities: z.array(z.array(z.number())),
});

const bankKind = z.enum(['sha256', 'pdq', 'embedding']);

/** A bank match as the worker found it (libs/banks BankMatch). */
export const bankMatchSchema = z.strictObject({
  bankId: z.string(),
  bankTitle: z.string(),
  kind: bankKind,
  action: z.enum(['block', 'review', 'allow']),
  entryId: z.string(),
  threshold: z.number(),
  distance: z.number().optional(),
  similarity: z.number().optional(),
  variant: z.string().optional(),
});

/** One bank consulted for an image, in the state (revision, entries) it had. */
export const bankCheckSchema = z.strictObject({
  bankId: z.string(),
  kind: bankKind,
  revision: z.number().int().nonnegative(),
  entries: z.number().int().nonnegative(),
  matches: z.number().int().nonnegative(),
  skipped: z.string().optional(),
});

/**
 * What the banks said about the image, matched in the worker before policy scoring: every bank consulted
 * (with the revision it was at), the matches, most decisive first (the first one decides), and the
 * image's PDQ hash when a PDQ bank needed it.
 */
export const decideBanksSchema = z.strictObject({
  /** The store revision the worker's indexes reflected. */
  revision: z.number().int().nonnegative(),
  checked: z.array(bankCheckSchema),
  matches: z.array(bankMatchSchema).max(16),
  pdq: z.strictObject({ hash: z.string().regex(/^[0-9a-f]{64}$/), quality: z.number() }).optional(),
  match_ms: z.number().nonnegative(),
});

export const decideJobSchema = z.strictObject({
  v: z.literal(1),
  submissionId: z.uuid(),
  modelId: z.string(),
  /** The model's logit scale, which the scoring methods need. */
  logitScale: z.number().positive(),
  contentSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Frame embeddings, float32 little-endian, base64: stored for replaying new policy versions. */
  embeddings: z.array(z.string()),
  frameIndices: z.array(z.number().int()),
  live: policySimilarities,
  shadow: policySimilarities.optional(),
  timings: z.record(z.string(), z.number()),
  /** Absent when no bank applies to the tenant (or from a worker without banks). */
  banks: decideBanksSchema.optional(),
});

export const callbackJobSchema = z.strictObject({
  v: z.literal(1),
  deliveryId: z.uuid(),
});

export type EmbedJob = z.infer<typeof embedJobSchema>;
export type DecideJob = z.infer<typeof decideJobSchema>;
export type DecideBanks = z.infer<typeof decideBanksSchema>;
export type BankMatchPayload = z.infer<typeof bankMatchSchema>;
export type CallbackJob = z.infer<typeof callbackJobSchema>;

/** Floats ⇄ base64 (little-endian float32), the compact form embeddings travel in. */
export function encodeFloats(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}
/** Base64 text or raw bytes (little-endian float32) → floats, copied so the result is aligned. */
export function decodeFloats(src: string | Uint8Array): Float32Array {
  const b = typeof src === 'string' ? Buffer.from(src, 'base64') : src;
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
