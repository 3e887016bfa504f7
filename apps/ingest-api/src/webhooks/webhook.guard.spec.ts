import type { RawBodyRequest } from '@nestjs/common';
import { ApiError } from '@clipguard/contracts';
import { httpContext, mockOf, signWebhook, testSecret, testTenants } from '@clipguard/testing';
import { RateLimiter } from '../common/rate-limiter';
import type { AuthenticatedRequest } from '../common/request-context';
import { WebhookGuard } from './webhook.guard';

const SECRETS = {
  CG_UNIT_WEBHOOK_OLD: testSecret('acme-old'),
  CG_UNIT_WEBHOOK_NEW: testSecret('acme-new'),
};
const BODY = JSON.stringify({ event_id: 'evt-1', content: { url: 'https://cdn.example.com/a.png' } });

function newTestGuard() {
  const mocks = { rateLimiter: mockOf(RateLimiter) };
  mocks.rateLimiter.take.mockResolvedValue(undefined);
  const tenants = testTenants({
    acme: { webhook_secret_envs: ['CG_UNIT_WEBHOOK_OLD', 'CG_UNIT_WEBHOOK_NEW'], rate_limit_per_minute: 30 },
    nosecrets: {},
  });
  return { sut: new WebhookGuard(tenants, mocks.rateLimiter), mocks };
}

type Req = RawBodyRequest<AuthenticatedRequest>;
const request = (tenant: string, headers: Record<string, string>, body = BODY) =>
  ({ params: { tenant }, headers, rawBody: Buffer.from(body) }) as unknown as Req;
const signed = (secret = SECRETS.CG_UNIT_WEBHOOK_NEW, options: { id?: string; timestamp?: Date } = {}) =>
  signWebhook(secret, BODY, options);

async function refused(sut: WebhookGuard, req: Req): Promise<ApiError> {
  const err = await sut.canActivate(httpContext(req)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect(req.tenant).toBeUndefined();
  return err as ApiError;
}

describe('WebhookGuard', () => {
  beforeAll(() => Object.assign(process.env, SECRETS));
  afterAll(() => {
    for (const name of Object.keys(SECRETS)) delete process.env[name];
  });

  it("accepts a webhook signed with the tenant's secret, then applies its rate limit", async () => {
    const { sut, mocks } = newTestGuard();
    const req = request('acme', signed(SECRETS.CG_UNIT_WEBHOOK_NEW, { id: 'msg_42' }));

    await expect(sut.canActivate(httpContext(req))).resolves.toBe(true);

    expect(req.tenant).toBe('acme');
    expect(req.webhookId).toBe('msg_42');
    expect(mocks.rateLimiter.take).toHaveBeenCalledWith('acme', 30);
  });

  it('accepts a webhook signed with the previous secret during rotation', async () => {
    const { sut } = newTestGuard();
    const req = request('acme', signed(SECRETS.CG_UNIT_WEBHOOK_OLD));

    await expect(sut.canActivate(httpContext(req))).resolves.toBe(true);
    expect(req.tenant).toBe('acme');
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'globex'])(
    'refuses the tenant "%s" as TENANT_UNKNOWN',
    async (tenant) => {
      const { sut, mocks } = newTestGuard();

      const err = await refused(sut, request(tenant, signed()));

      expect(err).toMatchObject({ code: 'TENANT_UNKNOWN', status: 401 });
      expect(mocks.rateLimiter.take).not.toHaveBeenCalled();
    },
  );

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    'refuses a webhook without %s as WEBHOOK_SIGNATURE_MISSING',
    async (header) => {
      const { sut } = newTestGuard();
      const headers = signed();
      delete headers[header];

      expect((await refused(sut, request('acme', headers))).code).toBe('WEBHOOK_SIGNATURE_MISSING');
    },
  );

  it('refuses a signature made with another secret, before any rate limit is taken', async () => {
    const { sut, mocks } = newTestGuard();

    const err = await refused(sut, request('acme', signed(testSecret('someone-else'))));

    expect(err).toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID', status: 401 });
    expect(mocks.rateLimiter.take).not.toHaveBeenCalled();
  });

  it('refuses a body changed after signing', async () => {
    const { sut } = newTestGuard();
    const tampered = BODY.replace('evt-1', 'evt-2');

    expect((await refused(sut, request('acme', signed(), tampered))).code).toBe('WEBHOOK_SIGNATURE_INVALID');
  });

  it('refuses every webhook of a tenant with no secret configured', async () => {
    const { sut } = newTestGuard();

    expect((await refused(sut, request('nosecrets', signed()))).code).toBe('WEBHOOK_SIGNATURE_INVALID');
  });

  it.each([
    ['ten minutes old', -10],
    ['ten minutes in the future', 10],
  ])('refuses a correctly signed webhook %s as WEBHOOK_STALE', async (_case, minutes) => {
    const { sut, mocks } = newTestGuard();
    const timestamp = new Date(Date.now() + minutes * 60_000);

    const err = await refused(sut, request('acme', signed(SECRETS.CG_UNIT_WEBHOOK_NEW, { timestamp })));

    expect(err).toMatchObject({ code: 'WEBHOOK_STALE', status: 401 });
    expect(mocks.rateLimiter.take).not.toHaveBeenCalled();
  });

  it('refuses a verified webhook over the rate limit, leaving no tenant on the request', async () => {
    const { sut, mocks } = newTestGuard();
    mocks.rateLimiter.take.mockRejectedValue(new ApiError('RATE_LIMITED', 'too many'));

    expect((await refused(sut, request('acme', signed()))).code).toBe('RATE_LIMITED');
  });

  it('stores nothing: a retry with the same webhook id, re-signed, is accepted like the first', async () => {
    const { sut } = newTestGuard();
    const first = request('acme', signed(SECRETS.CG_UNIT_WEBHOOK_NEW, { id: 'msg_7' }));
    const retry = request(
      'acme',
      signed(SECRETS.CG_UNIT_WEBHOOK_NEW, { id: 'msg_7', timestamp: new Date(Date.now() + 30_000) }),
    );

    await expect(sut.canActivate(httpContext(first))).resolves.toBe(true);
    await expect(sut.canActivate(httpContext(retry))).resolves.toBe(true);
    await expect(sut.canActivate(httpContext(first))).resolves.toBe(true);
    expect(retry.webhookId).toBe('msg_7');
  });
});
