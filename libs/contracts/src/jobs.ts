import { z } from 'zod';

/** One typed job catalogue: queue names, payload schemas (with a version field) and options, side by side. */
export const QUEUES = {
  embed: 'embed',
  decide: 'decide',
  callback: 'callback',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

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
});

export const callbackJobSchema = z.strictObject({
  v: z.literal(1),
  deliveryId: z.uuid(),
});

export type EmbedJob = z.infer<typeof embedJobSchema>;
export type DecideJob = z.infer<typeof decideJobSchema>;
export type CallbackJob = z.infer<typeof callbackJobSchema>;

/** Deterministic job ids, so re-deliveries and re-enqueues collapse (BullMQ ids may not contain ":"). */
export const jobId = {
  embed: (submissionId: string) => submissionId,
  decide: (submissionId: string, policyVersion: number) => `decide-${submissionId}-v${policyVersion}`,
  callback: (deliveryId: string) => `callback-${deliveryId}`,
};

/** Floats ⇄ base64 (little-endian float32), the compact form embeddings travel in. */
export function encodeFloats(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}
export function decodeFloats(s: string): Float32Array {
  const b = Buffer.from(s, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
