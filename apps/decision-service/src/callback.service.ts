import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { Webhook } from 'standardwebhooks';
import { request } from 'undici';
import { secretsFromEnv, type Env, type PipelineEnv, type TenantsFile } from '@clipguard/config';
import type { Database } from '@clipguard/storage';
import { DecisionMetrics } from './decision.metrics';
import { DB, ENV, LOGGER, TENANTS } from './tokens';

export class CallbackFailed extends Error {}

/** Signed POST of a decision to the tenant; non-2xx throws so BullMQ retries with backoff. */
@Injectable()
export class CallbackService {
  constructor(
    @Inject(DB) private readonly db: Kysely<Database>,
    @Inject(TENANTS) private readonly tenants: TenantsFile,
    @Inject(ENV) private readonly env: Env & PipelineEnv,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: DecisionMetrics,
  ) {}

  async deliver(deliveryId: string, finalAttempt: boolean): Promise<void> {
    const d = await this.db
      .selectFrom('callback_deliveries')
      .selectAll()
      .where('id', '=', deliveryId)
      .executeTakeFirst();
    if (!d || d.status !== 'pending') return;
    const body = JSON.stringify({
      type: 'moderation.decided',
      timestamp: new Date().toISOString(),
      data: d.payload,
    });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'webhook-id': d.id };
    const timestamp = new Date();
    headers['webhook-timestamp'] = String(Math.floor(timestamp.getTime() / 1000));
    const [secret] = secretsFromEnv(
      [this.tenants.tenants[d.tenant]?.callback_secret_env ?? ''].filter(Boolean),
    );
    if (secret) headers['webhook-signature'] = new Webhook(secret).sign(d.id, timestamp, body);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await request(d.url, {
        method: 'POST',
        headers,
        body,
        headersTimeout: this.env.CLIPGUARD_CALLBACK_TIMEOUT_MS,
        bodyTimeout: this.env.CLIPGUARD_CALLBACK_TIMEOUT_MS,
      });
      status = res.statusCode;
      await res.body.dump();
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const ok = status !== null && status >= 200 && status < 300;
    const next = ok ? 'delivered' : finalAttempt ? 'dead' : 'pending';
    await this.db
      .updateTable('callback_deliveries')
      .set((eb) => ({
        status: next,
        attempts: eb('attempts', '+', 1),
        last_status: status,
        last_error: error,
        updated_at: new Date(),
      }))
      .where('id', '=', d.id)
      .execute();
    this.metrics.callbacks.inc({ outcome: ok ? 'delivered' : next === 'dead' ? 'dead' : 'retry' });
    const log = { submissionId: d.submission_id, deliveryId: d.id, status, error };
    if (ok) {
      this.logger.info(log, 'callback delivered');
      return;
    }
    if (next === 'dead') this.logger.error(log, 'callback dead-lettered after its retry horizon');
    throw new CallbackFailed(`callback to ${d.url} failed: ${status ?? error}`);
  }
}
