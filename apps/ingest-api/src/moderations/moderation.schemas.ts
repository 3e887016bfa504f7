import { z } from 'zod';
import { eventIdSchema, verdictSchema, webhookBodySchema } from '@clipguard/contracts';

/** Direct moderation by API key: a webhook body whose event id is optional (one is made up). */
export const moderationBodySchema = webhookBodySchema.extend({ event_id: eventIdSchema.optional() });
export type ModerationBody = z.infer<typeof moderationBodySchema>;

/** Strict: an unknown or repeated parameter (`verdict[]=block`) is refused, never silently ignored. */
export const listQuerySchema = z.strictObject({
  tenant: z.string().optional(),
  verdict: verdictSchema.optional(),
  since: z.iso.datetime().optional(),
  before: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

export const waitQuerySchema = z.strictObject({
  wait: z.coerce.number().int().min(0).max(30_000).default(0),
});
