import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { Webhook } from 'standardwebhooks';
import { request } from 'undici';
import { secretsFromEnv, tenantConfig, type AppEnv, type TenantsFile } from '@clipguard/config';
import { ENV, LOGGER, TENANTS } from '@clipguard/infra';
import {
  CallbackRepository,
  isDatabaseUnavailable,
  type CallbackDelivery,
  type SendClaim,
} from '@clipguard/storage';
import { DecisionMetrics } from './decision.metrics';

export class CallbackFailed extends Error {}

/** How much of a callback response is read (platforms answer with a status, not a document). */
const MAX_RESPONSE_BYTES = 64 * 1024;
/** Time allowed, after the request's own timeout, to record an attempt's outcome (with its DB retries). */
const RECORD_MARGIN_MS = 5000;

/** Signed POST of a decision to the tenant; non-2xx throws so BullMQ retries with backoff. */
@Injectable()
export class CallbackService {
  constructor(
    private readonly callbacks: CallbackRepository,
    private readonly metrics: DecisionMetrics,
    @Inject(TENANTS) private readonly tenants: TenantsFile,
    @Inject(ENV) private readonly env: AppEnv,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The delivery, if it still has to be sent. */
  async pending(deliveryId: string): Promise<CallbackDelivery | undefined> {
    const d = await this.callbacks.find(deliveryId);
    return d?.status === 'pending' ? d : undefined;
  }

  /**
   * Claims the sending of a delivery in the record for as long as one attempt can take (the request is
   * bounded by the callback timeout, then its outcome is recorded), so two runs of one job never both send.
   */
  claim(deliveryId: string): Promise<SendClaim> {
    return this.callbacks.claimSend(deliveryId, this.env.CLIPGUARD_CALLBACK_TIMEOUT_MS + RECORD_MARGIN_MS);
  }

  async deliver(d: CallbackDelivery, finalAttempt: boolean): Promise<void> {
    const timestamp = new Date();
    const body = JSON.stringify({
      type: d.kind,
      timestamp: timestamp.toISOString(),
      data: d.payload,
    });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'webhook-id': d.id,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    };
    const [secret] = secretsFromEnv(
      [tenantConfig(this.tenants, d.tenant)?.callback_secret_env ?? ''].filter(Boolean),
    );
    if (secret) headers['webhook-signature'] = new Webhook(secret).sign(d.id, timestamp, body);
    const { status, error } = await this.post(d.url, headers, body);
    const ok = status !== null && status >= 200 && status < 300;
    const next = ok ? 'delivered' : finalAttempt ? 'dead' : 'pending';
    await this.record(d.id, next, { status, error });
    this.metrics.callbacks.inc({ outcome: ok ? 'delivered' : next === 'dead' ? 'dead' : 'retry' });
    const log = { submissionId: d.submission_id, deliveryId: d.id, tenant: d.tenant, status, error };
    if (ok) {
      this.logger.info(log, 'callback delivered');
      return;
    }
    if (next === 'dead') this.logger.error(log, 'callback dead-lettered after its retry horizon');
    throw new CallbackFailed(`callback to ${d.url} failed: ${status ?? error}`);
  }

  /**
   * Records the attempt, retrying briefly while the database is away: a delivered callback whose outcome is
   * lost would be sent again (the platform dedupes on webhook-id, but fewer repeats are better).
   */
  private async record(
    id: string,
    next: 'pending' | 'delivered' | 'dead',
    outcome: { status: number | null; error: string | null },
  ) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.callbacks.recordAttempt(id, next, outcome);
      } catch (err) {
        if (attempt >= 3 || !isDatabaseUnavailable(err)) throw err;
        await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
      }
    }
  }

  /**
   * One POST bounded as a whole (connect, headers and body) by the callback timeout: an endpoint that
   * trickles bytes cannot hold the request longer than that.
   */
  private async post(
    url: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status: number | null; error: string | null }> {
    const signal = AbortSignal.timeout(this.env.CLIPGUARD_CALLBACK_TIMEOUT_MS);
    try {
      const res = await request(url, { method: 'POST', headers, body, signal });
      // The response must complete in time too (its body read, up to a bound): an attempt the endpoint
      // never finishes is a failed attempt, retried; the platform dedupes on webhook-id.
      let read = 0;
      for await (const chunk of res.body) {
        read += (chunk as Buffer).length;
        if (read > MAX_RESPONSE_BYTES) break;
      }
      return { status: res.statusCode, error: null };
    } catch (err) {
      const timedOut = signal.aborted;
      return {
        status: null,
        error: timedOut
          ? `no complete response within ${this.env.CLIPGUARD_CALLBACK_TIMEOUT_MS} ms`
          : err instanceof Error
            ? err.message
            : String(err),
      };
    }
  }
}
