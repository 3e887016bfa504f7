import { PipelineClient, Stack, eventBody } from '@clipguard/testing';

jest.setTimeout(120_000);

// Every automatic decision is sampled for QA; the "banded" tenant also reviews low red scores.
const stack = new Stack({
  env: { CLIPGUARD_REVIEW_SAMPLE_RATE: '1', BANDED_API_KEY: 'banded-key' },
  tenants: (url) => [
    'tenants:',
    '  acme:',
    '    name: Acme',
    '    policy: { id: shapes, version: 1 }',
    '    webhook_secret_envs: [ACME_SECRET]',
    `    callback_url: ${url}/callback`,
    '    api_key_envs: [ACME_API_KEY]',
    '  banded:',
    '    name: Banded',
    '    policy: { id: shapes, version: 1 }',
    '    webhook_secret_envs: [ACME_SECRET]',
    '    api_key_envs: [BANDED_API_KEY]',
    '    review_bands: { red: [0, 0.2] }',
  ],
});
const client = new PipelineClient(stack);

interface QueueItem {
  id: string;
  submission_id: string;
  trigger: string;
}
const queue = async (key: string) =>
  (
    (await (
      await fetch(`${stack.apiUrl}/v1/reviews?limit=500`, { headers: { authorization: `Bearer ${key}` } })
    ).json()) as {
      items: QueueItem[];
    }
  ).items;

beforeAll(() => stack.start(), 120_000);
afterAll(() => stack.stop(), 60_000);

describe('review queue', () => {
  it('queues review verdicts for moderators; resolving one is audited, once', async () => {
    const png = await client.scene({ shape: 'star', colour: 'blue', size: 'large' }, 11);
    const { body } = await client.send('acme', eventBody('evt-review', png));
    expect((await client.settled(body.submission_id)).decision?.verdict).toBe('review');
    const item = (await queue('acme-key')).find((i) => i.submission_id === body.submission_id);
    expect(item?.trigger).toBe('verdict');
    const resolve = (note = 'looks fine') =>
      fetch(`${stack.apiUrl}/v1/reviews/${item?.id}/resolve`, {
        method: 'POST',
        headers: { authorization: 'Bearer acme-key', 'content-type': 'application/json' },
        body: JSON.stringify({ verdict: 'allow', moderator: 'mod-1', note }),
      });
    const nul = await resolve('bad\u0000note');
    expect([nul.status, ((await nul.json()) as { code: string }).code]).toEqual([422, 'BODY_INVALID']);
    expect((await resolve()).status).toBe(201);
    expect((await resolve()).status).toBe(409);
    const audit = await stack.db
      .selectFrom('audit_log')
      .select(['kind', 'body'])
      .where('ref', '=', body.submission_id)
      .where('kind', '=', 'review')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].body).toMatchObject({ verdict: 'allow', moderator: 'mod-1', note: 'looks fine' });
  });

  it('samples automatic allows and blocks for QA at the configured rate', async () => {
    const allow = await client.send(
      'acme',
      eventBody('evt-qa-allow', await client.scene({ shape: 'square', colour: 'green', size: 'large' }, 12)),
    );
    const block = await client.send(
      'acme',
      eventBody('evt-qa-block', await client.scene({ shape: 'circle', colour: 'red', size: 'large' }, 13)),
    );
    expect((await client.settled(allow.body.submission_id)).decision?.verdict).toBe('allow');
    expect((await client.settled(block.body.submission_id)).decision?.verdict).toBe('block');
    const items = await queue('acme-key');
    const trigger = (id: string) => items.find((i) => i.submission_id === id)?.trigger;
    expect([trigger(allow.body.submission_id), trigger(block.body.submission_id)]).toEqual([
      'sample:allow',
      'sample:block',
    ]);
  });

  it("sends a tenant's score band to review before any sample", async () => {
    const { body } = await client.send(
      'banded',
      eventBody('evt-band', await client.scene({ shape: 'square', colour: 'green', size: 'large' }, 14)),
    );
    const m = await client.settled(body.submission_id, 'banded-key');
    expect(m.decision?.verdict).toBe('allow');
    expect((await queue('banded-key')).find((i) => i.submission_id === body.submission_id)?.trigger).toBe(
      'band:red',
    );
    // Tenant isolation: acme's key does not see banded's queue.
    expect((await queue('acme-key')).some((i) => i.submission_id === body.submission_id)).toBe(false);
  });
});
