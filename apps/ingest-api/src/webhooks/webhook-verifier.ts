import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { ApiError } from '@clipguard/contracts';

export type HeaderBag = Record<string, string | string[] | undefined>;

const header = (h: HeaderBag, name: string) => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Standard Webhooks verification: v1 HMAC-SHA256 over `id.timestamp.body`, ±5 minutes, constant-time
 * comparison (the `standardwebhooks` library), any of several secrets (rotation).
 */
export function verifyWebhook(
  secrets: readonly string[],
  rawBody: Buffer,
  headers: HeaderBag,
): { id: string; timestamp: string } {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signature = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signature) {
    throw new ApiError(
      'WEBHOOK_SIGNATURE_MISSING',
      'webhook-id, webhook-timestamp and webhook-signature are required',
    );
  }
  let lastError = 'no secret configured for this tenant';
  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(rawBody, {
        'webhook-id': id,
        'webhook-timestamp': timestamp,
        'webhook-signature': signature,
      });
      return { id, timestamp };
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      lastError = err.message;
      if (/timestamp/i.test(err.message)) {
        throw new ApiError(
          'WEBHOOK_STALE',
          `webhook-timestamp is outside the 5-minute tolerance (${err.message})`,
        );
      }
    }
  }
  throw new ApiError('WEBHOOK_SIGNATURE_INVALID', `signature does not verify: ${lastError}`);
}
