import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** Standard Webhooks headers for a body, as a platform would send them. */
export function signWebhook(
  secret: string,
  body: string,
  options: { id?: string; timestamp?: Date } = {},
): Record<string, string> {
  const id = options.id ?? `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? new Date();
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, timestamp, body),
  };
}

export const testSecret = (seed: string) =>
  `whsec_${Buffer.from(`${seed}-secret-key-material`).toString('base64')}`;
