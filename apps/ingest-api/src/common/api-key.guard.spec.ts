import crypto from 'node:crypto';
import { ApiError } from '@clipguard/contracts';
import { httpContext, testTenants } from '@clipguard/testing';
import { ApiKeyGuard } from './api-key.guard';
import type { AuthenticatedRequest } from './request-context';

const KEYS = {
  CG_UNIT_APIKEY_ACME_1: 'acme-key-one-0001',
  CG_UNIT_APIKEY_ACME_2: 'acme-key-two-0002',
  CG_UNIT_APIKEY_GLOBEX: 'globex-key-0003',
};

const guard = new ApiKeyGuard(
  testTenants({
    acme: { api_key_envs: ['CG_UNIT_APIKEY_ACME_1', 'CG_UNIT_APIKEY_ACME_2'] },
    globex: { api_key_envs: ['CG_UNIT_APIKEY_GLOBEX'] },
    nokeys: {},
  }),
);

const request = (authorization?: string) =>
  ({ headers: authorization === undefined ? {} : { authorization } }) as AuthenticatedRequest;

function refused(req: AuthenticatedRequest): ApiError {
  try {
    guard.canActivate(httpContext(req));
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error('the guard let the request through');
}

describe('ApiKeyGuard', () => {
  let compare: jest.SpyInstance;

  beforeAll(() => Object.assign(process.env, KEYS));
  afterAll(() => {
    for (const name of Object.keys(KEYS)) delete process.env[name];
  });
  beforeEach(() => {
    compare = jest.spyOn(crypto, 'timingSafeEqual');
  });
  afterEach(() => compare.mockRestore());

  it('puts the tenant whose key is presented on the request', () => {
    const req = request(`Bearer ${KEYS.CG_UNIT_APIKEY_GLOBEX}`);

    expect(guard.canActivate(httpContext(req))).toBe(true);
    expect(req.tenant).toBe('globex');
  });

  it("accepts any of a tenant's keys (rotation)", () => {
    const req = request(`Bearer ${KEYS.CG_UNIT_APIKEY_ACME_2}`);
    guard.canActivate(httpContext(req));
    expect(req.tenant).toBe('acme');
  });

  it('compares the presented key with every configured key even when the first one matches', () => {
    guard.canActivate(httpContext(request(`Bearer ${KEYS.CG_UNIT_APIKEY_ACME_1}`)));

    expect(compare).toHaveBeenCalledTimes(Object.keys(KEYS).length);
  });

  it('compares with every configured key for an unknown key too', () => {
    refused(request('Bearer not-a-key'));

    expect(compare).toHaveBeenCalledTimes(Object.keys(KEYS).length);
  });

  it.each([
    ['an unknown key', 'Bearer not-a-key'],
    ['no Authorization header', undefined],
    ['another scheme', `Basic ${KEYS.CG_UNIT_APIKEY_GLOBEX}`],
    ['a prefix of a key', `Bearer ${KEYS.CG_UNIT_APIKEY_GLOBEX.slice(0, -1)}`],
    ['an empty bearer token', 'Bearer '],
  ])('refuses %s with API_KEY_INVALID and sets no tenant', (_case, authorization) => {
    const req = request(authorization);

    const err = refused(req);

    expect(err.code).toBe('API_KEY_INVALID');
    expect(err.status).toBe(401);
    expect(req.tenant).toBeUndefined();
  });
});
