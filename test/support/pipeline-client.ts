import type { SubmissionStatus } from '@clipguard/contracts';
import { renderScene, rng, type Scene } from './shapes';
import type { Stack } from './stack';
import { signWebhook } from './webhooks';

export interface Moderation {
  id: string;
  status: SubmissionStatus;
  error: { code: string } | null;
  decision: {
    verdict: string;
    categories: Record<string, boolean>;
    reasons: { category: string }[];
    policy: { id: string; version: number; hash: string };
    model_id: string;
    shadow: { verdict: string } | null;
  } | null;
  callback: { status: string; attempts: number } | null;
}

export interface Sent {
  status: number;
  body: { submission_id: string; duplicate: boolean; code?: string; detail?: string };
}

export const eventBody = (eventId: string, bytes: Buffer, extra: Record<string, unknown> = {}) => ({
  event_id: eventId,
  content: { base64: bytes.toString('base64') },
  ...extra,
});

/** A platform's view of a running stack: signed webhooks in, moderations read back by API key. */
export class PipelineClient {
  private readonly pngs = new Map<string, Buffer>();

  constructor(private readonly stack: Stack) {}

  /** A rendered shapes scene, cached by what it shows and its seed. */
  async scene(s: Scene, seed: number): Promise<Buffer> {
    const key = `${s.colour}-${s.shape}-${s.size}-${seed}`;
    if (!this.pngs.has(key)) this.pngs.set(key, await renderScene(s, rng(seed)));
    return this.pngs.get(key) as Buffer;
  }

  /** POSTs a webhook signed with the tenant's secret (or with the given headers). */
  async send(tenant: string, body: object, headers?: Record<string, string>): Promise<Sent> {
    const raw = JSON.stringify(body);
    const res = await fetch(`${this.stack.apiUrl}/v1/webhooks/${tenant}`, {
      method: 'POST',
      headers: headers ?? signWebhook(this.stack.secrets.acme, raw),
      body: raw,
    });
    return { status: res.status, body: (await res.json()) as Sent['body'] };
  }

  async moderation(id: string, key = 'acme-key'): Promise<Moderation> {
    const res = await fetch(`${this.stack.apiUrl}/v1/moderations/${id}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    return (await res.json()) as Moderation;
  }

  /** Waits until the submission is decided or failed. */
  settled(id: string, key?: string): Promise<Moderation> {
    return this.stack.eventually(
      async () => {
        const m = await this.moderation(id, key);
        return m.status === 'decided' || m.status === 'failed' ? m : undefined;
      },
      60_000,
      `submission ${id} to settle`,
    );
  }

  /** Sends n distinct images of one scene; returns their submission ids. */
  async sendMany(prefix: string, n: number, s: Scene, seed: number): Promise<string[]> {
    const images = await Promise.all(Array.from({ length: n }, (_, i) => this.scene(s, seed + i)));
    const sent = await Promise.all(
      images.map((png, i) => this.send('acme', eventBody(`${prefix}-${i}`, png))),
    );
    return sent.map((r) => r.body.submission_id);
  }

  async countWhere(ids: string[], status: SubmissionStatus): Promise<number> {
    const row = await this.stack.db
      .selectFrom('submissions')
      .select(this.stack.db.fn.countAll<string>().as('n'))
      .where('id', 'in', ids)
      .where('status', '=', status)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  allDecided(ids: string[], what: string, timeoutMs = 150_000): Promise<true> {
    return this.stack.eventually(
      async () => ((await this.countWhere(ids, 'decided')) === ids.length ? true : undefined),
      timeoutMs,
      what,
    );
  }

  /** Live decisions stored for these submissions (exactly-once checks). */
  async liveDecisions(ids: string[]): Promise<string[]> {
    const rows = await this.stack.db
      .selectFrom('decisions')
      .select('submission_id')
      .where('submission_id', 'in', ids)
      .where('shadow', '=', false)
      .execute();
    return rows.map((r) => r.submission_id);
  }

  callbacksFor(id: string) {
    return this.stack.platform.callbacks.filter((c) => c.body.data.id === id);
  }
}
