import { z } from 'zod';

/** The platform's upload event (the webhook body). */
export const webhookBodySchema = z.strictObject({
  event_id: z.string().min(1).max(200),
  content: z.union([
    z.strictObject({ url: z.url().max(2048) }),
    z.strictObject({ base64: z.base64().min(1) }),
  ]),
  metadata: z
    .strictObject({
      user_id: z.string().max(200).optional(),
      post_id: z.string().max(200).optional(),
      labels: z.array(z.string().max(100)).max(50).optional(),
    })
    .default({}),
  priority: z.enum(['low', 'normal', 'high']).default('normal'),
});

export type WebhookBody = z.infer<typeof webhookBodySchema>;

export const submissionStatuses = ['queued', 'embedding', 'deciding', 'decided', 'failed'] as const;
export type SubmissionStatus = (typeof submissionStatuses)[number];
