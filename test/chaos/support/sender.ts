import { randomUUID } from 'node:crypto';
import { signWebhook } from '@clipguard/testing';
import { sleep } from './wait';

/** One HTTP attempt at delivering an event: its answer (0 when the connection failed) and when. */
export interface Attempt {
  status: number;
  code?: string;
  submissionId?: string;
  duplicate?: boolean;
  startedAt: number;
  endedAt: number;
}

/** An upload event as the platform sends it: one webhook id for all its delivery attempts. */
export interface SentEvent {
  tenant: string;
  eventId: string;
  webhookId: string;
  body: string;
  attempts: Attempt[];
}

interface Answer {
  submission_id?: string;
  duplicate?: boolean;
  code?: string;
}

/** Whether a Standard Webhooks sender (Svix) retries after this answer: 429, 5xx and network failures. */
export const retryable = (status: number) => status === 0 || status === 429 || status >= 500;

/** The submission id the API acknowledged the event with (its first 2xx), if any. */
export const acceptedId = (e: SentEvent) => e.attempts.find((a) => a.status === 202)?.submissionId;

/**
 * Sends signed upload webhooks the way a Standard Webhooks sender (Svix) does: every attempt of an event
 * carries the same webhook-id and a fresh timestamp and signature (made by the `standardwebhooks` package),
 * and a 429, a 5xx or a failed connection is retried with backoff.
 */
export class WebhookSender {
  readonly events: SentEvent[] = [];
  inFlight = 0;
  private stopped = false;

  constructor(
    private readonly apiUrl: () => string,
    private readonly secret: string,
  ) {}

  event(tenant: string, eventId: string, image: Buffer): SentEvent {
    const body = JSON.stringify({ event_id: eventId, content: { base64: image.toString('base64') } });
    const e: SentEvent = { tenant, eventId, webhookId: `msg_${randomUUID()}`, body, attempts: [] };
    this.events.push(e);
    return e;
  }

  /** One attempt, signed afresh. */
  async attempt(e: SentEvent): Promise<Attempt> {
    const startedAt = Date.now();
    this.inFlight++;
    let a: Attempt;
    try {
      const res = await fetch(`${this.apiUrl()}/v1/webhooks/${e.tenant}`, {
        method: 'POST',
        headers: signWebhook(this.secret, e.body, { id: e.webhookId }),
        body: e.body,
        signal: AbortSignal.timeout(60_000),
      });
      const answer = (await res.json().catch(() => ({}))) as Answer;
      a = {
        status: res.status,
        code: answer.code,
        submissionId: answer.submission_id,
        duplicate: answer.duplicate,
        startedAt,
        endedAt: Date.now(),
      };
    } catch {
      a = { status: 0, code: 'NETWORK', startedAt, endedAt: Date.now() };
    } finally {
      this.inFlight--;
    }
    e.attempts.push(a);
    return a;
  }

  /** Attempts until an answer that is not retried, or the retry budget is spent. */
  async deliver(e: SentEvent, retryDelaysMs: readonly number[] = RETRY_DELAYS_MS): Promise<Attempt> {
    let last = await this.attempt(e);
    for (const delay of retryDelaysMs) {
      if (!retryable(last.status) || this.stopped) break;
      await sleep(delay);
      last = await this.attempt(e);
    }
    return last;
  }

  /** Delivers many events, `concurrency` at a time. */
  async deliverAll(events: SentEvent[], concurrency: number, retryDelaysMs = RETRY_DELAYS_MS): Promise<void> {
    let next = 0;
    const lane = async () => {
      while (next < events.length && !this.stopped) await this.deliver(events[next++], retryDelaysMs);
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
  }

  /** Sends nothing more: a failed scenario must not leave retry loops running after it. */
  stop(): void {
    this.stopped = true;
  }
}

/** A compressed Svix schedule (immediately, then growing waits), about a minute in all. */
export const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000, 8000, 8000, 8000, 8000];
