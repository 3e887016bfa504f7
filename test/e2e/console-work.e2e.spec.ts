import { Webhook } from 'standardwebhooks';
import type { ItemView } from '@clipguard/contracts';
import { ConsoleClient, PipelineClient, Stack, addConsoleUser, eventBody } from '@clipguard/testing';

jest.setTimeout(240_000);

// Every automatic allow/block is also sampled for QA, so the QA queue fills.
const stack = new Stack({ env: { CLIPGUARD_REVIEW_SAMPLE_RATE: '1' } });
const client = new PipelineClient(stack);
const code = (r: { body: unknown }) => (r.body as { code?: string }).code;
type Who = 'mod1' | 'mod2' | 'lead1' | 'lead2' | 'globexMod';
const consoles = {} as Record<Who, ConsoleClient>;
const ids = {} as Record<Who, string>;

/** Submissions that get the review verdict (blue stars under the shapes policy). */
async function reviewItems(prefix: string, n: number, tenant = 'acme'): Promise<string[]> {
  const subs: string[] = [];
  for (let i = 0; i < n; i++) {
    const png = await client.scene(
      { shape: 'star', colour: 'blue', size: 'large' },
      1000 + subs.length + prefix.length * 100,
    );
    subs.push((await client.send(tenant, eventBody(`${prefix}-${i}`, png))).body.submission_id);
  }
  const key = tenant === 'acme' ? 'acme-key' : 'deadend-key';
  for (const s of subs) expect((await client.settled(s, key)).decision?.verdict).toBe('review');
  return subs;
}
const next = (c: ConsoleClient, queue = 'review', body: object = {}) =>
  c.request<{ item: ItemView | null }>('POST', `/v1/console/queues/${queue}/next`, body);

beforeAll(async () => {
  await stack.start();
  const roles: Record<Who, string> = {
    mod1: 'acme:moderator',
    mod2: 'acme:moderator',
    lead1: 'acme:lead',
    lead2: 'acme:lead',
    globexMod: 'deadend:moderator',
  };
  for (const [who, role] of Object.entries(roles) as [Who, string][]) {
    const u = await addConsoleUser(stack, `${who}@clipguard.test`, [role]);
    ids[who] = u.id;
    consoles[who] = new ConsoleClient(stack);
    expect((await consoles[who].login(u.email, u.password)).status).toBe(200);
  }
}, 120_000);
afterAll(() => stack.stop(), 60_000);

describe('console: queues and claims', () => {
  it('never gives one item to two moderators, however many claim at once', async () => {
    const subs = await reviewItems('evt-race', 12);
    const racers = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const u = await addConsoleUser(stack, `racer${i}@clipguard.test`, ['acme:moderator']);
        const c = new ConsoleClient(stack);
        await c.login(u.email, u.password);
        return c;
      }),
    );
    // Each racer claims, resolves, and claims again until the queue is empty, all at once.
    const claimed = await Promise.all(
      racers.map(async (c) => {
        const mine: string[] = [];
        for (;;) {
          const { body } = await next(c);
          if (!body.item) return mine;
          mine.push(body.item.submission_id);
          expect(
            (
              await c.request('POST', `/v1/console/items/${body.item.id}/resolve`, {
                verdict: 'allow',
                labels: [],
              })
            ).status,
          ).toBe(200);
        }
      }),
    );
    const all = claimed.flat();
    expect(all.filter((s) => subs.includes(s)).sort()).toEqual([...subs].sort());
    expect(new Set(all).size).toBe(all.length);
    const claims = await stack.db
      .selectFrom('audit_log')
      .select('ref')
      .where('kind', '=', 'claim')
      .where('ref', 'in', subs)
      .execute();
    expect(claims).toHaveLength(subs.length);
  });

  it('keeps an item with its holder, gives the next one to the next moderator, and returns it when the lease ends', async () => {
    const [a, b] = await reviewItems('evt-lease', 2);
    const first = (await next(consoles.mod1)).body.item;
    const again = (await next(consoles.mod1)).body.item;
    const second = (await next(consoles.mod2)).body.item;
    expect(again?.id).toBe(first?.id);
    expect([first?.submission_id, second?.submission_id].sort()).toEqual([a, b].sort());
    expect(first?.claim).toMatchObject({ user_id: ids.mod1 });
    // The lease runs out (as if five minutes passed): the item is anyone's again, and mod1 has lost it.
    await stack.db
      .updateTable('reviews')
      .set({ claim_expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', first?.id ?? '')
      .execute();
    expect(
      code(
        await consoles.mod1.request('POST', `/v1/console/items/${first?.id}/resolve`, {
          verdict: 'block',
          labels: [],
        }),
      ),
    ).toBe('CLAIM_LOST');
    await consoles.mod2.request('POST', `/v1/console/items/${second?.id}/release`);
    const taken = new Set([
      (await next(consoles.mod2)).body.item?.id,
      (await next(consoles.lead1)).body.item?.id,
    ]);
    expect(taken).toEqual(new Set([first?.id, second?.id]));
    for (const c of [consoles.mod2, consoles.lead1]) {
      const held = (await next(c)).body.item;
      if (held)
        await c.request('POST', `/v1/console/items/${held.id}/resolve`, { verdict: 'allow', labels: [] });
    }
  });

  it('resolves with labels and sends the platform a signed moderation.reviewed callback', async () => {
    const [sub] = await reviewItems('evt-resolve', 1);
    const item = (await next(consoles.mod1)).body.item as ItemView;
    expect(item.submission_id).toBe(sub);
    expect(item.decision.categories.find((c) => c.id === 'star')).toMatchObject({
      action: 'review',
      crossed: expect.stringMatching(/^(review|block)$/) as string,
      thresholds: { review: expect.any(Number) as number },
    });
    const image = await consoles.mod1.raw('GET', item.image_url, undefined, {
      cookie: consoles.mod1.cookie ?? '',
    });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect(image.headers.get('cache-control')).toBe('private, no-store');
    expect(image.headers.get('content-disposition')).toBe('inline');
    const resolved = await consoles.mod1.request<ItemView>('POST', `/v1/console/items/${item.id}/resolve`, {
      verdict: 'block',
      labels: ['star'],
      note: 'a blue star',
    });
    expect(resolved.body.status).toBe('resolved:block');
    expect(item.review).toBeNull();
    // A resolved item opens read-only for anyone who works its queue (a similar past case links to it),
    // with the human decision and its image; still not for another tenant.
    const readOnly = await consoles.mod2.request<ItemView>('GET', `/v1/console/items/${item.id}`);
    expect(readOnly.status).toBe(200);
    expect(readOnly.body.review).toEqual({
      verdict: 'block',
      labels: ['star'],
      note: 'a blue star',
      resolved_by: 'mod1',
      resolved_at: expect.any(String) as string,
    });
    expect(resolved.body.review).toEqual(readOnly.body.review);
    const resolvedImage = await consoles.mod2.raw('GET', item.image_url, undefined, {
      cookie: consoles.mod2.cookie ?? '',
    });
    expect(resolvedImage.status).toBe(200);
    expect(code(await consoles.globexMod.request('GET', `/v1/console/items/${item.id}`))).toBe(
      'ITEM_NOT_FOUND',
    );
    const callback = await stack.eventually(
      () =>
        Promise.resolve(
          stack.platform.callbacks.find(
            (c) => c.body.type === 'moderation.reviewed' && c.body.data.id === sub,
          ),
        ),
      30_000,
      'the reviewed callback',
    );
    expect(callback.body.data).toMatchObject({
      id: sub,
      review_id: item.id,
      verdict: 'block',
      labels: ['star'],
    });
    expect(() =>
      new Webhook(stack.secrets.callback).verify(
        JSON.stringify(callback.body),
        callback.headers as Record<string, string>,
      ),
    ).not.toThrow();
    const m = (await client.moderation(sub)) as unknown as {
      decision: { verdict: string };
      review: { verdict: string };
      final_verdict: string;
    };
    expect([m.decision.verdict, m.review.verdict, m.final_verdict]).toEqual(['review', 'block', 'block']);
    const audit = await stack.db
      .selectFrom('audit_log')
      .select(['kind', 'body'])
      .where('ref', '=', sub)
      .where('kind', '=', 'review')
      .executeTakeFirstOrThrow();
    expect(audit.body).toMatchObject({
      verdict: 'block',
      labels: ['star'],
      actor: { userId: ids.mod1 },
    });
  });

  it("hides another tenant's items, images and decisions (404)", async () => {
    const [sub] = await reviewItems('evt-isolation', 1);
    const item = (
      await stack.db
        .selectFrom('reviews')
        .select('id')
        .where('submission_id', '=', sub)
        .executeTakeFirstOrThrow()
    ).id;
    for (const path of [`/v1/console/items/${item}`, `/v1/console/items/${item}/image`]) {
      const res = await consoles.globexMod.request('GET', path);
      expect([path, res.status, code(res)]).toEqual([path, 404, 'ITEM_NOT_FOUND']);
    }
    expect(
      code(
        await consoles.globexMod.request('POST', `/v1/console/items/${item}/resolve`, {
          verdict: 'allow',
          labels: [],
        }),
      ),
    ).toBe('ITEM_NOT_FOUND');
    expect((await next(consoles.globexMod)).body.item).toBeNull();
    // The item is still there for its own tenant.
    const own = (await next(consoles.mod2)).body.item;
    expect(own?.submission_id).toBe(sub);
    await consoles.mod2.request('POST', `/v1/console/items/${own?.id}/escalate`, {
      reason: 'not sure: leads, please',
    });
  });

  it('sends escalations to leads, and records QA agreement', async () => {
    const png = await client.scene({ shape: 'circle', colour: 'red', size: 'large' }, 77);
    await client.settled((await client.send('acme', eventBody('evt-qa', png))).body.submission_id);
    const escalated = (await next(consoles.lead1, 'escalated')).body.item;
    expect(escalated).toMatchObject({ queue: 'escalated', reason: 'not sure: leads, please' });
    expect(code(await next(consoles.mod1, 'escalated'))).toBe('ROLE_FORBIDDEN');
    await consoles.lead1.request('POST', `/v1/console/items/${escalated?.id}/resolve`, {
      verdict: 'allow',
      labels: [],
    });
    const qa = (await next(consoles.lead1, 'qa')).body.item as ItemView;
    expect(qa.trigger).toMatch(/^sample:/);
    const automatic = qa.decision.verdict as 'allow' | 'block';
    await consoles.lead1.request('POST', `/v1/console/items/${qa.id}/resolve`, {
      verdict: automatic,
      labels: [],
    });
    const row = await stack.db
      .selectFrom('reviews')
      .select('qa_agreement')
      .where('id', '=', qa.id)
      .executeTakeFirstOrThrow();
    expect(row.qa_agreement).toBe(true);
    const stats = await consoles.lead1.request<{
      qa_agreement: { agreement: number }[];
      per_moderator: { user: string }[];
    }>('GET', '/v1/console/stats');
    expect(stats.body.qa_agreement.length).toBeGreaterThan(0);
    expect(stats.body.per_moderator.map((p) => p.user)).toEqual(expect.arrayContaining(['mod1', 'lead1']));
  });
});

describe('console: appeals', () => {
  const appeal = (sub: string, statement = 'this is my own artwork') =>
    fetch(`${stack.apiUrl}/v1/moderations/${sub}/appeals`, {
      method: 'POST',
      headers: { authorization: 'Bearer acme-key', 'content-type': 'application/json' },
      body: JSON.stringify({ statement, user_id: 'u-42' }),
    });

  it('accepts an appeal of a block only, one at a time, decided by a lead other than the reviewer, with a callback', async () => {
    const [sub] = await reviewItems('evt-appeal', 1);
    const allowed = (
      await client.send(
        'acme',
        eventBody('evt-allowed', await client.scene({ shape: 'square', colour: 'green', size: 'large' }, 5)),
      )
    ).body.submission_id;
    await client.settled(allowed);
    expect([(await appeal(allowed)).status]).toEqual([409]);
    // lead1 reviews it and blocks it.
    const item = (await next(consoles.lead1)).body.item as ItemView;
    expect(item.submission_id).toBe(sub);
    await consoles.lead1.request('POST', `/v1/console/items/${item.id}/resolve`, {
      verdict: 'block',
      labels: ['star'],
    });
    const opened = await appeal(sub);
    expect(opened.status).toBe(201);
    const { appeal_id } = (await opened.json()) as { appeal_id: string };
    expect(((await (await appeal(sub)).json()) as { code: string }).code).toBe('APPEAL_OPEN');
    const own = await consoles.lead1.request('POST', `/v1/console/items/${appeal_id}/appeal-decision`, {
      decision: 'overturn',
    });
    expect([own.status, code(own)]).toEqual([403, 'APPEAL_OWN_REVIEW']);
    expect(
      code(
        await consoles.mod1.request('POST', `/v1/console/items/${appeal_id}/appeal-decision`, {
          decision: 'overturn',
        }),
      ),
    ).toBe('ITEM_NOT_FOUND'); // an appeal is outside a moderator's queues
    const viewed = (await consoles.lead2.request<ItemView>('GET', `/v1/console/items/${appeal_id}`)).body;
    expect(viewed).toMatchObject({
      queue: 'appeal',
      reason: 'this is my own artwork',
      appealed_review: { verdict: 'block', labels: ['star'] },
    });
    const decided = await consoles.lead2.request<ItemView>(
      'POST',
      `/v1/console/items/${appeal_id}/appeal-decision`,
      { decision: 'overturn', note: 'art' },
    );
    expect(decided.body.status).toBe('resolved:allow');
    const callback = await stack.eventually(
      () =>
        Promise.resolve(
          stack.platform.callbacks.find(
            (c) => c.body.type === 'moderation.appeal_resolved' && c.body.data.id === sub,
          ),
        ),
      30_000,
      'the appeal callback',
    );
    expect(callback.body.data).toMatchObject({ appeal_id, decision: 'overturn', verdict: 'allow' });
    const m = (await client.moderation(sub)) as unknown as {
      final_verdict: string;
      appeals: { verdict: string }[];
    };
    expect([m.final_verdict, m.appeals.map((a) => a.verdict)]).toEqual(['allow', ['allow']]);
    // Overturned: nothing left to appeal.
    expect(((await (await appeal(sub)).json()) as { code: string }).code).toBe('APPEAL_NOT_ALLOWED');
  });
});
