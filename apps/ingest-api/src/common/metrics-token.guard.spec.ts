import { ApiError } from '@clipguard/contracts';
import { httpContext, testEnv } from '@clipguard/testing';
import { MetricsTokenGuard } from './metrics-token.guard';

const TOKEN = 'operator-token-0123456789';
const ctx = (authorization?: string) =>
  httpContext({ headers: authorization === undefined ? {} : { authorization } });

describe('MetricsTokenGuard', () => {
  it('lets every request through when no token is configured', () => {
    expect(new MetricsTokenGuard(testEnv()).canActivate(ctx())).toBe(true);
  });

  it('lets the operator token through', () => {
    const guard = new MetricsTokenGuard(testEnv({ CLIPGUARD_METRICS_TOKEN: TOKEN }));
    expect(guard.canActivate(ctx(`Bearer ${TOKEN}`))).toBe(true);
  });

  it.each([
    ['no token', undefined],
    ['another token', 'Bearer operator-token-9999999999'],
    ['the token under another scheme', `Basic ${TOKEN}`],
  ])('refuses %s with METRICS_TOKEN_INVALID', (_case, authorization) => {
    const guard = new MetricsTokenGuard(testEnv({ CLIPGUARD_METRICS_TOKEN: TOKEN }));

    expect(() => guard.canActivate(ctx(authorization))).toThrow(ApiError);
    expect(() => guard.canActivate(ctx(authorization))).toThrow(
      expect.objectContaining({ code: 'METRICS_TOKEN_INVALID', status: 401 }) as Error,
    );
  });
});
