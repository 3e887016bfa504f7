import type { SubmissionStatus } from '@clipguard/contracts';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { AuditRepository, FileBlobStore } from '@clipguard/storage';
import {
  SHARED_IMAGES,
  Stack,
  pngBombHeader,
  renderScene,
  rng,
  signWebhook,
  type Scene,
} from '@clipguard/testing';

jest.setTimeout(180_000);

const stack = new Stack({
  env: { CLIPGUARD_LOCK_DURATION_MS: '2000', CLIPGUARD_STALLED_INTERVAL_MS: '1000' },
});
const pngs = new Map<string, Buffer>();

async function scene(s: Scene, seed: number): Promise<Buffer> {
  const key = `${s.colour}-${s.shape}-${seed}`;
  if (!pngs.has(key)) pngs.set(key, await renderScene(s, rng(seed)));
  return pngs.get(key) as Buffer;
}

async function send(tenant: string, body: object, headers?: Record<string, string>) {
  const raw = JSON.stringify(body);
  const res = await fetch(`${stack.apiUrl}/v1/webhooks/${tenant}`, {
    method: 'POST',
    headers: headers ?? signWebhook(stack.secrets.acme, raw),
    body: raw,
  });
  return {
    status: res.status,
    body: (await res.json()) as { submission_id: string; duplicate: boolean; code?: string },
  };
}

const eventBody = (eventId: string, bytes: Buffer) => ({
  event_id: eventId,
  content: { base64: bytes.toString('base64') },
});

async function moderation(id: string, key = 'acme-key') {
  const res = await fetch(`${stack.apiUrl}/v1/moderations/${id}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return (await res.json()) as {
    status: string;
    error: { code: string } | null;
    decision: {
      verdict: string;
      policy: { id: string; version: number; hash: string };
      model_id: string;
      shadow: { verdict: string } | null;
    } | null;
    callback: { status: string; attempts: number } | null;
  };
}

const settled = (id: string, key?: string) =>
  stack.eventually(
    async () => {
      const m = await moderation(id, key);
      return m.status === 'decided' || m.status === 'failed' ? m : undefined;
    },
    60_000,
    `submission ${id} to settle`,
  );

/** Sends n distinct images of one scene; returns their submission ids. */
async function sendMany(prefix: string, n: number, s: Scene, seed: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++)
    ids.push((await send('acme', eventBody(`${prefix}-${i}`, await scene(s, seed + i)))).body.submission_id);
  return ids;
}

const countWhere = async (ids: string[], status: SubmissionStatus) =>
  Number(
    (
      await stack.db
        .selectFrom('submissions')
        .select(stack.db.fn.countAll<string>().as('n'))
        .where('id', 'in', ids)
        .where('status', '=', status)
        .executeTakeFirstOrThrow()
    ).n,
  );

const someInFlight = (ids: string[]) =>
  stack.eventually(
    async () => ((await countWhere(ids, 'embedding')) > 0 ? true : undefined),
    30_000,
    'a submission in flight',
  );

const allDecided = (ids: string[], what: string) =>
  stack.eventually(
    async () => ((await countWhere(ids, 'decided')) === ids.length ? true : undefined),
    150_000,
    what,
  );

beforeAll(() => stack.start(), 180_000);
afterAll(() => stack.stop(), 60_000);

describe('pipeline e2e (real Redis, Postgres, tiny CLIP, local platform)', () => {
  it('turns a signed webhook into a signed callback with the expected verdict, stored with its audit entry', async () => {
    const { status, body } = await send(
      'acme',
      eventBody('evt-red-1', await scene({ shape: 'circle', colour: 'red', size: 'large' }, 1)),
    );
    expect(status).toBe(202);
    const m = await settled(body.submission_id);
    expect(m.decision).toMatchObject({ verdict: 'block', policy: { id: 'shapes', version: 1 } });
    expect(m.decision?.model_id).toMatch(/^tiny-clip\/fp32@/);
    expect(m.decision?.shadow).toMatchObject({ verdict: 'block' });
    const callback = await stack.eventually(
      () => Promise.resolve(stack.platform.callbacks.find((c) => c.body.data.id === body.submission_id)),
      30_000,
      'callback',
    );
    expect(callback.body.data.verdict).toBe('block');
    // The platform can verify the callback with the tenant's callback secret.
    expect(() =>
      new Webhook(stack.secrets.callback).verify(
        JSON.stringify(callback.body),
        callback.headers as Record<string, string>,
      ),
    ).not.toThrow();
    const decisions = await stack.db
      .selectFrom('decisions')
      .selectAll()
      .where('submission_id', '=', body.submission_id)
      .execute();
    expect(decisions.map((d) => [d.policy_version, d.shadow]).sort()).toEqual([
      [1, false],
      [2, true],
    ]);
    const audit = await stack.db
      .selectFrom('audit_log')
      .selectAll()
      .where('ref', '=', body.submission_id)
      .execute();
    expect(audit.map((a) => a.kind).sort()).toEqual(['decision', 'shadow_decision']);
  });

  it('refuses forged, missing, stale and replayed signatures and stores nothing', async () => {
    const before = await stack.db
      .selectFrom('submissions')
      .select(stack.db.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const raw = JSON.stringify(
      eventBody('evt-forged', await scene({ shape: 'star', colour: 'blue', size: 'large' }, 2)),
    );
    const good = signWebhook(stack.secrets.acme, raw);
    const cases: [string, Record<string, string>, string][] = [
      [
        'forged',
        signWebhook('whsec_' + Buffer.from('not-the-secret-at-all').toString('base64'), raw),
        'WEBHOOK_SIGNATURE_INVALID',
      ],
      ['missing', { 'content-type': 'application/json' }, 'WEBHOOK_SIGNATURE_MISSING'],
      [
        'stale',
        signWebhook(stack.secrets.acme, raw, { timestamp: new Date(Date.now() - 10 * 60_000) }),
        'WEBHOOK_STALE',
      ],
      ['tampered body', { ...good }, 'WEBHOOK_SIGNATURE_INVALID'],
    ];
    for (const [what, headers, code] of cases) {
      const body = what === 'tampered body' ? raw.replace('evt-forged', 'evt-forged2') : raw;
      const res = await fetch(`${stack.apiUrl}/v1/webhooks/acme`, { method: 'POST', headers, body });
      expect([what, res.status, ((await res.json()) as { code: string }).code]).toEqual([what, 401, code]);
    }
    // A replay: the same webhook-id re-signed with another timestamp.
    const first = signWebhook(stack.secrets.acme, raw, {
      id: 'msg_replay',
      timestamp: new Date(Date.now() - 1000),
    });
    expect(
      (await fetch(`${stack.apiUrl}/v1/webhooks/acme`, { method: 'POST', headers: first, body: raw })).status,
    ).toBe(202);
    const replay = signWebhook(stack.secrets.acme, raw, { id: 'msg_replay' });
    const replayed = await fetch(`${stack.apiUrl}/v1/webhooks/acme`, {
      method: 'POST',
      headers: replay,
      body: raw,
    });
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as { code: string }).code).toBe('WEBHOOK_REPLAYED');
    const unknown = await send('nobody', eventBody('evt-x', Buffer.from('x')));
    expect([unknown.status, unknown.body.code]).toEqual([401, 'TENANT_UNKNOWN']);
    const after = await stack.db
      .selectFrom('submissions')
      .select(stack.db.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n) + 1);
  });

  it('accepts the previous secret during rotation and rejects a body that fails the schema with 422', async () => {
    const raw = JSON.stringify(
      eventBody('evt-rotated', await scene({ shape: 'heart', colour: 'green', size: 'large' }, 3)),
    );
    const res = await fetch(`${stack.apiUrl}/v1/webhooks/acme`, {
      method: 'POST',
      headers: signWebhook(stack.env('ACME_OLD_SECRET'), raw),
      body: raw,
    });
    expect(res.status).toBe(202);
    const bad = JSON.stringify({ event_id: '', content: { base64: '***' } });
    const r2 = await fetch(`${stack.apiUrl}/v1/webhooks/acme`, {
      method: 'POST',
      headers: signWebhook(stack.secrets.acme, bad),
      body: bad,
    });
    expect(r2.status).toBe(422);
    expect(((await r2.json()) as { code: string }).code).toBe('WEBHOOK_BODY_INVALID');
  });

  it('collapses the same event sent twice into one submission, one decision and one callback', async () => {
    const bytes = await scene({ shape: 'star', colour: 'yellow', size: 'large' }, 4);
    const a = await send('acme', eventBody('evt-dup', bytes));
    const b = await send('acme', eventBody('evt-dup', bytes));
    expect(b.body).toMatchObject({ submission_id: a.body.submission_id, duplicate: true });
    await settled(a.body.submission_id);
    await stack.eventually(() =>
      Promise.resolve(
        stack.platform.callbacks.some((c) => c.body.data.id === a.body.submission_id) ? true : undefined,
      ),
    );
    await new Promise((r) => setTimeout(r, 1000));
    const rows = await stack.db
      .selectFrom('decisions')
      .select('id')
      .where('submission_id', '=', a.body.submission_id)
      .where('shadow', '=', false)
      .execute();
    expect(rows).toHaveLength(1);
    expect(stack.platform.callbacks.filter((c) => c.body.data.id === a.body.submission_id)).toHaveLength(1);
  });

  it('retries a callback while the platform is down and delivers it when it is back', async () => {
    stack.platform.failing = true;
    const { body } = await send(
      'acme',
      eventBody('evt-retry', await scene({ shape: 'cross', colour: 'purple', size: 'large' }, 5)),
    );
    await settled(body.submission_id);
    await stack.eventually(
      async () => (((await moderation(body.submission_id)).callback?.attempts ?? 0) >= 2 ? true : undefined),
      30_000,
      'failed attempts',
    );
    stack.platform.failing = false;
    const m = await stack.eventually(
      async () => {
        const x = await moderation(body.submission_id);
        return x.callback?.status === 'delivered' ? x : undefined;
      },
      30_000,
      'delivery after recovery',
    );
    expect(m.callback?.attempts).toBeGreaterThanOrEqual(3);
  });

  it('dead-letters a callback whose platform stays down, visibly', async () => {
    const { body } = await send(
      'deadend',
      eventBody('evt-dead', await scene({ shape: 'square', colour: 'orange', size: 'large' }, 6)),
    );
    const m = await stack.eventually(
      async () => {
        const x = await moderation(body.submission_id, 'deadend-key');
        return x.callback?.status === 'dead' ? x : undefined;
      },
      60_000,
      'dead letter',
    );
    expect(m.status).toBe('decided');
    expect(m.callback?.attempts).toBeGreaterThan(1);
  });

  it('fails corrupt, oversized and hostile images with their codes and keeps every process up', async () => {
    const bomb = pngBombHeader(30000, 30000);
    const cases: [string, Buffer, string][] = [
      ['truncated', readFileSync(join(SHARED_IMAGES, 'truncated.jpg')), 'IMAGE_CORRUPT'],
      ['bomb', bomb, 'IMAGE_TOO_LARGE'],
      [
        'svg',
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>'),
        'IMAGE_UNSUPPORTED',
      ],
      ['noise', randomish(5000), 'IMAGE_UNSUPPORTED'],
    ];
    for (const [name, bytes, code] of cases) {
      const { body } = await send('acme', eventBody(`evt-bad-${name}`, bytes));
      const m = await settled(body.submission_id);
      expect([name, m.status, m.error?.code]).toEqual([name, 'failed', code]);
    }
    for (const p of ['ingest-api', 'clip-worker', 'decision-service'])
      expect(stack.process(p)?.exitCode).toBeNull();
    const { body } = await send(
      'acme',
      eventBody('evt-after-bad', await scene({ shape: 'circle', colour: 'red', size: 'large' }, 7)),
    );
    expect((await settled(body.submission_id)).decision?.verdict).toBe('block');
  });

  it('queues review verdicts for moderators; resolving one is audited, once', async () => {
    const { body } = await send(
      'acme',
      eventBody('evt-review', await scene({ shape: 'star', colour: 'blue', size: 'large' }, 11)),
    );
    expect((await settled(body.submission_id)).decision?.verdict).toBe('review');
    const auth = { authorization: 'Bearer acme-key', 'content-type': 'application/json' };
    const queue = (await (await fetch(`${stack.apiUrl}/v1/reviews`, { headers: auth })).json()) as {
      items: { id: string; submission_id: string; trigger: string }[];
    };
    const item = queue.items.find((i) => i.submission_id === body.submission_id);
    expect(item?.trigger).toBe('verdict');
    const resolve = () =>
      fetch(`${stack.apiUrl}/v1/reviews/${item?.id}/resolve`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ verdict: 'allow', moderator: 'mod-1' }),
      });
    expect((await resolve()).status).toBe(201);
    expect((await resolve()).status).toBe(409);
    const audit = await stack.db
      .selectFrom('audit_log')
      .select(['kind', 'body'])
      .where('ref', '=', body.submission_id)
      .where('kind', '=', 'review')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].body).toMatchObject({ verdict: 'allow', moderator: 'mod-1' });
  });

  it("records each policy version's activation in the audit log once, and reports readiness", async () => {
    const activations = await stack.db
      .selectFrom('audit_log')
      .select('ref')
      .where('kind', '=', 'policy_activation')
      .execute();
    expect(activations.map((a) => a.ref.split(':').slice(0, 2).join(':')).sort()).toEqual([
      'policy:shapes@v1',
      'policy:shapes@v2',
    ]);
    const ready = (await (await fetch(`${stack.apiUrl}/health/ready`)).json()) as {
      status: string;
      checks: { clip_workers: number };
    };
    expect(ready.status).toBe('ready');
    expect(ready.checks.clip_workers).toBeGreaterThanOrEqual(1);
  });

  it('enqueues a submission that was committed but never enqueued (a crash between the two)', async () => {
    const png = await scene({ shape: 'heart', colour: 'red', size: 'large' }, 12);
    const key = await new FileBlobStore(join(stack.dir, 'blobs')).put(png);
    const id = randomUUID();
    await stack.db
      .insertInto('submissions')
      .values({
        id,
        tenant: 'acme',
        event_id: 'evt-orphan',
        status: 'queued',
        content_url: null,
        blob_key: key,
        content_sha256: key,
        metadata: '{}',
        priority: 'normal',
        error_code: null,
        error_message: null,
        enqueued_at: null,
      })
      .execute();
    expect((await settled(id)).decision?.verdict).toBe('block');
  });

  it("limits each tenant's request rate and the body size, with problem codes", async () => {
    const png = await scene({ shape: 'circle', colour: 'green', size: 'large' }, 10);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await send('limited', eventBody(`evt-limit-${i}`, png))).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    const huge = JSON.stringify(eventBody('evt-huge', Buffer.alloc(300 * 1024, 1)));
    const res = await fetch(`${stack.apiUrl}/v1/webhooks/acme`, {
      method: 'POST',
      headers: signWebhook(stack.secrets.acme, huge),
      body: huge,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe('BODY_TOO_LARGE');
  });

  it('drains in-flight work on SIGTERM: the worker exits cleanly and leaves nothing half-done', async () => {
    // Rendered first, then sent as one burst: sent one by one, the worker keeps up and nothing is in flight.
    const images = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        scene({ shape: 'cross', colour: 'yellow', size: 'large' }, 500 + i),
      ),
    );
    const sent = await Promise.all(images.map((png, i) => send('acme', eventBody(`evt-term-${i}`, png))));
    const ids = sent.map((r) => r.body.submission_id);
    await someInFlight(ids);
    const worker =
      [...['clip-worker-2', 'clip-worker']].find(
        (n) => stack.process(n)?.exitCode === null && stack.process(n)?.signalCode === null,
      ) ?? 'clip-worker';
    // Nest runs its shutdown hooks (BullMQ waits for active jobs, the engine drains), then re-raises SIGTERM.
    expect(await stack.kill(worker, 'SIGTERM')).toBe('SIGTERM');
    expect(await countWhere(ids, 'embedding')).toBe(0);
    await stack.spawn('clip-worker', /clip-worker ready/, 'clip-worker-3');
    await allDecided(ids, 'all decided after the restart');
  });

  it('moderates by API key: JSON with ?wait returns the decision, multipart too, and lists by verdict', async () => {
    const png = await scene({ shape: 'triangle', colour: 'red', size: 'large' }, 8);
    const res = await fetch(`${stack.apiUrl}/v1/moderations?wait=20000`, {
      method: 'POST',
      headers: { authorization: 'Bearer acme-key', 'content-type': 'application/json' },
      body: JSON.stringify({ content: { base64: png.toString('base64') } }),
    });
    expect(res.status).toBe(200);
    const decided = (await res.json()) as { status: string; decision: { verdict: string } };
    expect(decided).toMatchObject({ status: 'decided', decision: { verdict: 'block' } });
    const form = new FormData();
    form.append(
      'image',
      new Blob([await scene({ shape: 'square', colour: 'green', size: 'large' }, 9)]),
      'x.png',
    );
    const up = await fetch(`${stack.apiUrl}/v1/moderations?wait=20000`, {
      method: 'POST',
      headers: { authorization: 'Bearer acme-key' },
      body: form,
    });
    expect(((await up.json()) as { decision: { verdict: string } }).decision.verdict).toBe('allow');
    const noKey = await fetch(`${stack.apiUrl}/v1/moderations`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(noKey.status).toBe(401);
    const list = (await (
      await fetch(`${stack.apiUrl}/v1/moderations?verdict=block&limit=5`, {
        headers: { authorization: 'Bearer acme-key' },
      })
    ).json()) as {
      items: { verdict: string }[];
    };
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((i) => i.verdict === 'block')).toBe(true);
  });

  it('recovers the jobs of a worker killed mid-batch: every submission decided exactly once', async () => {
    const ids = await sendMany('evt-kill', 60, { shape: 'heart', colour: 'blue', size: 'large' }, 300);
    await someInFlight(ids);
    await stack.kill('clip-worker', 'SIGKILL');
    await stack.spawn('clip-worker', /clip-worker ready/, 'clip-worker-2');
    await allDecided(ids, 'all decided after the kill');
    const decisions = await stack.db
      .selectFrom('decisions')
      .select('submission_id')
      .where('submission_id', 'in', ids)
      .where('shadow', '=', false)
      .execute();
    expect(decisions).toHaveLength(ids.length);
    const audits = await stack.db
      .selectFrom('audit_log')
      .select('ref')
      .where('ref', 'in', ids)
      .where('kind', '=', 'decision')
      .execute();
    expect(audits).toHaveLength(ids.length);
  });

  it('exposes what an operator watches as Prometheus metrics on every app', async () => {
    const text = async (url: string) => (await fetch(url)).text();
    const api = await text(`${stack.apiUrl}/metrics`);
    expect(api).toMatch(/clipguard_http_requests_total\{route="\/v1\/webhooks\/:tenant",status="202"\} \d+/);
    expect(api).toMatch(/clipguard_queue_jobs\{queue="embed",state="waiting"\} \d+/);
    const worker = await text(`http://127.0.0.1:${stack.metricsPorts.worker}/metrics`);
    expect(worker).toMatch(/clipguard_encoder_batch_size_count [1-9]/);
    const decision = await text(`http://127.0.0.1:${stack.metricsPorts.decision}/metrics`);
    expect(decision).toMatch(/clipguard_verdicts_total\{verdict="block"\} [1-9]/);
    expect(decision).toMatch(/clipguard_flagged_categories_total\{category="red"\} [1-9]/);
    expect(decision).toMatch(/clipguard_callbacks_total\{outcome="dead"\} [1-9]/);
  });

  it('moderates a burst of submissions: every one decided once, none lost, the audit chain verifies', async () => {
    const N = 1000;
    const colours = ['red', 'green', 'blue', 'yellow'] as const;
    const shapes = ['circle', 'square', 'star', 'heart'] as const;
    const ids: string[] = [];
    for (let i = 0; i < N; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, N - i) }, async (_, k) => {
          const j = i + k;
          const bytes = await scene(
            { shape: shapes[j % 4], colour: colours[(j >> 2) % 4], size: 'large' },
            100 + (j % 40),
          );
          return send('acme', eventBody(`evt-burst-${j}`, bytes));
        }),
      );
      ids.push(...batch.map((b) => b.body.submission_id));
    }
    expect(new Set(ids).size).toBe(N);
    await allDecided(ids, `${N} decisions`);
    const live = await stack.db
      .selectFrom('decisions')
      .select('submission_id')
      .where('submission_id', 'in', ids)
      .where('shadow', '=', false)
      .execute();
    expect(live).toHaveLength(N);
    expect(new Set(live.map((d) => d.submission_id)).size).toBe(N);
    const check = await new AuditRepository(stack.db).verify();
    expect(check.ok).toBe(true);
    expect(check.entries).toBeGreaterThanOrEqual(2 * N);
  });
});

function randomish(n: number): Buffer {
  const r = rng(99);
  return Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)));
}
