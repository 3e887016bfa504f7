import { z } from 'zod';
import { eventIdSchema, storableText } from './text';

/** The platform's upload event (the webhook body). */
export const webhookBodySchema = z.strictObject({
  event_id: eventIdSchema,
  content: z.union([
    z.strictObject({ url: z.url().max(2048) }),
    z.strictObject({ base64: z.base64().min(1) }),
  ]),
  metadata: z
    .strictObject({
      user_id: storableText(200).optional(),
      post_id: storableText(200).optional(),
      labels: z.array(storableText(100)).max(50).optional(),
    })
    .default({}),
  priority: z.enum(['low', 'normal', 'high']).default('normal'),
});

export type WebhookBody = z.infer<typeof webhookBodySchema>;

/** Where a submission is; it only ever moves forward, and `decided`/`failed` are final. */
export const SUBMISSION_STATUSES = ['queued', 'embedding', 'deciding', 'decided', 'failed'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];
export const FINAL_STATUSES: readonly SubmissionStatus[] = ['decided', 'failed'];
