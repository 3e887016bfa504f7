import { PipelineClient, Stack, eventBody } from '@clipguard/testing';

jest.setTimeout(150_000);

// Few callback slots, two per tenant: a tenant whose endpoint hangs can hold only its share. The timeout
// is longer than the trickling endpoint's 2 s gap between bytes, so only a bound on the whole request ends it.
const stack = new Stack({
  env: {
    CLIPGUARD_CALLBACK_CONCURRENCY: '4',
    CLIPGUARD_CALLBACK_TENANT_CONCURRENCY: '2',
    CLIPGUARD_CALLBACK_TIMEOUT_MS: '8000',
  },
});
const client = new PipelineClient(stack);

const deliveriesOf = (tenant: string) =>
  stack.db.selectFrom('callback_deliveries').selectAll().where('tenant', '=', tenant).execute();

beforeAll(() => stack.start(), 120_000);
afterAll(() => stack.stop(), 60_000);

describe('callbacks', () => {
  it('retries a callback while the platform is down and delivers it when it is back', async () => {
    stack.platform.failing = true;
    const png = await client.scene({ shape: 'cross', colour: 'purple', size: 'large' }, 5);
    const { body } = await client.send('acme', eventBody('evt-retry', png));
    await client.settled(body.submission_id);
    await stack.eventually(
      async () =>
        ((await client.moderation(body.submission_id)).callback?.attempts ?? 0) >= 2 ? true : undefined,
      30_000,
      'failed attempts',
    );
    stack.platform.failing = false;
    const m = await stack.eventually(
      async () => {
        const x = await client.moderation(body.submission_id);
        return x.callback?.status === 'delivered' ? x : undefined;
      },
      30_000,
      'delivery after recovery',
    );
    expect(m.callback?.attempts).toBeGreaterThanOrEqual(3);
    expect(client.callbacksFor(body.submission_id)).toHaveLength(1);
  });

  it('dead-letters a callback whose platform stays down, visibly', async () => {
    const png = await client.scene({ shape: 'square', colour: 'orange', size: 'large' }, 6);
    const { body } = await client.send('deadend', eventBody('evt-dead', png));
    const m = await stack.eventually(
      async () => {
        const x = await client.moderation(body.submission_id, 'deadend-key');
        return x.callback?.status === 'dead' ? x : undefined;
      },
      60_000,
      'dead letter',
    );
    expect(m.status).toBe('decided');
    expect(m.callback?.attempts).toBeGreaterThan(1);
  });

  it("keeps other tenants' callbacks flowing while one tenant's endpoint hangs, and bounds each attempt as a whole", async () => {
    const slow = await Promise.all(
      Array.from({ length: 10 }, async (_, i) =>
        client.send(
          'slowpoke',
          eventBody(
            `evt-slow-${i}`,
            await client.scene({ shape: 'star', colour: 'blue', size: 'large' }, 40 + i),
          ),
        ),
      ),
    );
    expect(slow.every((s) => s.status === 202)).toBe(true);
    // The hanging tenant now holds its share of the slots.
    await stack.eventually(
      () => Promise.resolve(stack.platform.trickled >= 2 || undefined),
      60_000,
      'slowpoke callbacks hanging',
    );
    const acme = await client.sendMany('evt-fair', 6, { shape: 'circle', colour: 'red', size: 'large' }, 60);
    await stack.eventually(
      () => Promise.resolve(acme.every((id) => client.callbacksFor(id).length === 1) || undefined),
      60_000,
      "the healthy tenant's callbacks",
    );
    // Every healthy callback arrived while the hanging tenant's first attempts were still open.
    expect((await deliveriesOf('slowpoke')).every((d) => d.attempts === 0)).toBe(true);
    // Each hanging attempt ends at the timeout as a whole, though bytes keep arriving within it.
    const attempted = await stack.eventually(
      async () => {
        const d = (await deliveriesOf('slowpoke')).find((x) => x.attempts >= 1);
        return d ?? undefined;
      },
      60_000,
      'a finished slowpoke attempt',
    );
    expect(attempted.last_error).toMatch(/no complete response within 8000 ms/);
    expect(attempted.status).toBe('pending');
  });
});
