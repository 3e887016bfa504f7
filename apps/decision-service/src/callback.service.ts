import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { Webhook } from 'standardwebhooks';
import { request } from 'undici';
import { secretsFromEnv, tenantConfig, type AppEnv, type TenantsFile } from '@clipguard/config';
import { ENV, LOGGER, TENANTS } from '@clipguard/infra';
import { CallbackRepository, type CallbackDelivery } from '@clipguard/storage';
import { DecisionMetrics } from './decision.metrics';

export class CallbackFailed extends Error {}

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

  async deliver(d: CallbackDelivery, finalAttempt: boolean): Promise<void> {
    const timestamp = new Date();
    const body = JSON.stringify({
      type: 'moderation.decided',
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
    await this.callbacks.recordAttempt(d.id, next, { status, error });
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
      await res.body.dump();
      // dump() swallows the error of a body cut off by the timeout and resolves: without this check, an
      // endpoint that sends 200 headers and then trickles its body counts as delivered at the timeout.
      signal.throwIfAborted();
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
