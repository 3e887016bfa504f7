import { Webhook } from 'standardwebhooks';
import { PipelineClient, Stack, eventBody, signWebhook } from '@clipguard/testing';

jest.setTimeout(120_000);

const stack = new Stack();
const client = new PipelineClient(stack);
const red = () => client.scene({ shape: 'circle', colour: 'red', size: 'large' }, 1);

const submissionCount = async () =>
  Number(
    (
      await stack.db
        .selectFrom('submissions')
        .select(stack.db.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Raw POST with the given headers (a sender's exact bytes). */
const post = async (tenant: string, raw: string, headers: Record<string, string>) => {
  const res = await fetch(`${stack.apiUrl}/v1/webhooks/${tenant}`, { method: 'POST', headers, body: raw });
  return { status: res.status, body: (await res.json()) as { submission_id?: string; code?: string } };
};

beforeAll(() => stack.start(), 120_000);
afterAll(() => stack.stop(), 60_000);

describe('webhooks (Standard Webhooks in, signed callbacks out)', () => {
  it('turns a signed webhook into a signed callback with the expected verdict, stored with its audit entry', async () => {
    const { status, body } = await client.send('acme', eventBody('evt-red-1', await red()));
    expect(status).toBe(202);
    const m = await client.settled(body.submission_id);
    expect(m.decision).toMatchObject({ verdict: 'block', policy: { id: 'shapes', version: 1 } });
    expect(m.decision?.model_id).toMatch(/^tiny-clip\/fp32@/);
    expect(m.decision?.shadow).toMatchObject({ verdict: 'block' });
    const callback = await stack.eventually(
      () => Promise.resolve(client.callbacksFor(body.submission_id)[0]),
      30_000,
      'callback',
    );
    expect(callback.body.data.verdict).toBe('block');
    // The platform verifies the callback with the tenant's callback secret.
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

  it('refuses forged, missing, stale and tampered signatures and unknown tenants, storing nothing', async () => {
    const before = await submissionCount();
    const raw = JSON.stringify(eventBody('evt-forged', await red()));
    const good = signWebhook(stack.secrets.acme, raw);
    const cases: [string, string, Record<string, string>, string, string][] = [
      [
        'forged',
        'acme',
        signWebhook(`whsec_${Buffer.from('not-the-secret-at-all').toString('base64')}`, raw),
        raw,
        'WEBHOOK_SIGNATURE_INVALID',
      ],
      ['missing', 'acme', { 'content-type': 'application/json' }, raw, 'WEBHOOK_SIGNATURE_MISSING'],
      [
        'stale',
        'acme',
        signWebhook(stack.secrets.acme, raw, { timestamp: new Date(Date.now() - 10 * 60_000) }),
        raw,
        'WEBHOOK_STALE',
      ],
      ['tampered body', 'acme', good, raw.replace('evt-forged', 'evt-forged2'), 'WEBHOOK_SIGNATURE_INVALID'],
      ['unknown tenant', 'nobody', good, raw, 'TENANT_UNKNOWN'],
      // Tenant names that exist on every plain object's prototype are unknown tenants, not crashes.
      ['constructor', 'constructor', good, raw, 'TENANT_UNKNOWN'],
      ['__proto__', '__proto__', good, raw, 'TENANT_UNKNOWN'],
      ['toString', 'toString', good, raw, 'TENANT_UNKNOWN'],
    ];
    for (const [what, tenant, headers, body, code] of cases) {
      const res = await post(tenant, body, headers);
      expect([what, res.status, res.body.code]).toEqual([what, 401, code]);
    }
    expect(await submissionCount()).toBe(before);
  });

  it('answers a sender retry (same webhook-id, fresh timestamp and signature) with the first answer', async () => {
    const raw = JSON.stringify(eventBody('evt-svix-retry', await red()));
    const id = 'msg_svix_retry';
    const sign = (secondsAgo: number) =>
      signWebhook(stack.secrets.acme, raw, { id, timestamp: new Date(Date.now() - secondsAgo * 1000) });
    const first = await post('acme', raw, sign(120));
    expect(first.status).toBe(202);
    // Svix re-signs each attempt: a new timestamp every time, in any order within the tolerance.
    for (const secondsAgo of [0, 60, 120, 200]) {
      const retry = await post('acme', raw, sign(secondsAgo));
      expect([secondsAgo, retry.status, retry.body.submission_id]).toEqual([
        secondsAgo,
        202,
        first.body.submission_id,
      ]);
    }
    const m = await client.settled(first.body.submission_id as string);
    expect(m.status).toBe('decided');
    expect(await client.liveDecisions([m.id])).toHaveLength(1);
  });

  it('processes the retry of a refused delivery: a 429 does not burn the webhook id', async () => {
    const png = await client.scene({ shape: 'circle', colour: 'green', size: 'large' }, 10);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await client.send('limited', eventBody(`evt-limit-${i}`, png))).status);
    const raw = JSON.stringify(eventBody('evt-limit-late', png));
    const refused = await post('limited', raw, signWebhook(stack.secrets.acme, raw, { id: 'msg_late' }));
    expect([...statuses, refused.status, refused.body.code]).toEqual([202, 202, 202, 429, 'RATE_LIMITED']);
    // The tenant's window ends; the sender retries the same webhook id, re-signed.
    await stack.redisFlushRateLimits();
    const retried = await post('limited', raw, signWebhook(stack.secrets.acme, raw, { id: 'msg_late' }));
    expect(retried.status).toBe(202);
    expect((await client.settled(retried.body.submission_id as string, 'limited-key')).status).toBe(
      'decided',
    );
  });

  it('accepts the previous secret during rotation', async () => {
    const raw = JSON.stringify(
      eventBody('evt-rotated', await client.scene({ shape: 'heart', colour: 'green', size: 'large' }, 3)),
    );
    expect((await post('acme', raw, signWebhook(stack.env('ACME_OLD_SECRET'), raw))).status).toBe(202);
  });

  it('refuses bodies PostgreSQL could not store, or that would merge distinct events, with 422', async () => {
    const before = await submissionCount();
    const png = (await red()).toString('base64');
    const bodies: [string, unknown][] = [
      ['empty event id', { event_id: '', content: { base64: png } }],
      ['NUL in event id', { event_id: 'evt-\u0000-x', content: { base64: png } }],
      ['lone surrogate event id', { event_id: 'evt-\ud800', content: { base64: png } }],
      ['another lone surrogate', { event_id: 'evt-\udbff', content: { base64: png } }],
      [
        'NUL in user id',
        { event_id: 'evt-nul-user', content: { base64: png }, metadata: { user_id: 'u\u0000' } },
      ],
      [
        'lone surrogate in user id',
        { event_id: 'evt-sur-user', content: { base64: png }, metadata: { user_id: '\ud800' } },
      ],
      ['not base64', { event_id: 'evt-b64', content: { base64: '***' } }],
    ];
    for (const [what, body] of bodies) {
      const raw = JSON.stringify(body);
      const res = await post('acme', raw, signWebhook(stack.secrets.acme, raw));
      expect([what, res.status, res.body.code]).toEqual([what, 422, 'WEBHOOK_BODY_INVALID']);
    }
    expect(await submissionCount()).toBe(before);
  });

  it('collapses the same event sent twice, or twice at once, into one submission, decision and callback', async () => {
    const bytes = await client.scene({ shape: 'star', colour: 'yellow', size: 'large' }, 4);
    const a = await client.send('acme', eventBody('evt-dup', bytes));
    const b = await client.send('acme', eventBody('evt-dup', bytes));
    expect(b.body).toMatchObject({ submission_id: a.body.submission_id, duplicate: true });
    const concurrent = await Promise.all(
      Array.from({ length: 8 }, () => client.send('acme', eventBody('evt-dup-concurrent', bytes))),
    );
    const ids = new Set(concurrent.map((c) => c.body.submission_id));
    expect(ids.size).toBe(1);
    expect(concurrent.filter((c) => !c.body.duplicate)).toHaveLength(1);
    for (const id of [a.body.submission_id, ...ids]) {
      await client.settled(id);
      await stack.eventually(
        () => Promise.resolve(client.callbacksFor(id).length > 0 || undefined),
        30_000,
        'callback',
      );
    }
    await new Promise((r) => setTimeout(r, 1000));
    for (const id of [a.body.submission_id, ...ids]) {
      expect(await client.liveDecisions([id])).toHaveLength(1);
      expect(client.callbacksFor(id)).toHaveLength(1);
    }
  });

  it('limits the body size with a problem code', async () => {
    const huge = JSON.stringify(eventBody('evt-huge', Buffer.alloc(300 * 1024, 1)));
    const res = await post('acme', huge, signWebhook(stack.secrets.acme, huge));
    expect([res.status, res.body.code]).toEqual([413, 'BODY_TOO_LARGE']);
  });
});
