import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ApiError } from '@clipguard/contracts';
import { FAIL_FAST_REDIS, createRedis } from '@clipguard/queue';
import { silentLogger, testEnv } from '@clipguard/testing';
import { RateLimiter } from './rate-limiter';

const prefix = `cg_unit_${randomBytes(4).toString('hex')}`;
const env = testEnv({ CLIPGUARD_QUEUE_PREFIX: prefix, CLIPGUARD_RATE_LIMIT_PER_MINUTE: '3' });

const outcome = (p: Promise<void>) =>
  p.then(
    () => 'taken',
    (e: unknown) => (e instanceof ApiError ? e.code : String(e)),
  );

describe('RateLimiter against Redis', () => {
  let redis: Redis;

  beforeAll(async () => {
    redis = createRedis('redis://127.0.0.1:6379', FAIL_FAST_REDIS);
    // Fail-fast clients refuse commands until connected (which the limiter would take as Redis being away).
    await new Promise((ready) => redis.once('ready', ready));
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  // One fixed instant, so every request of a test falls in the same one-minute window.
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(1_800_000_000_000));
  afterEach(() => jest.restoreAllMocks());

  it('refuses requests beyond the configured number per minute with RATE_LIMITED', async () => {
    const limiter = new RateLimiter(redis, env, silentLogger());

    const results = [];
    for (let i = 0; i < 5; i++) results.push(await outcome(limiter.take('acme')));

    expect(results).toEqual(['taken', 'taken', 'taken', 'RATE_LIMITED', 'RATE_LIMITED']);
  });

  it("counts each tenant apart and honours a tenant's own limit", async () => {
    const limiter = new RateLimiter(redis, env, silentLogger());

    expect(await outcome(limiter.take('one', 1))).toBe('taken');
    expect(await outcome(limiter.take('one', 1))).toBe('RATE_LIMITED');
    expect(await outcome(limiter.take('two', 1))).toBe('taken');
  });

  it('starts a fresh count in the next minute', async () => {
    const limiter = new RateLimiter(redis, env, silentLogger());
    await outcome(limiter.take('three', 1));
    expect(await outcome(limiter.take('three', 1))).toBe('RATE_LIMITED');

    jest.spyOn(Date, 'now').mockReturnValue(1_800_000_060_000);

    expect(await outcome(limiter.take('three', 1))).toBe('taken');
  });

  it('lets requests through while Redis is unavailable, and says so in the log', async () => {
    const down = createRedis('redis://127.0.0.1:1', FAIL_FAST_REDIS);
    const logger = silentLogger();
    const warn = jest.spyOn(logger, 'warn');
    const limiter = new RateLimiter(down, env, logger);

    try {
      for (let i = 0; i < 5; i++) await expect(limiter.take('acme', 1)).resolves.toBeUndefined();
      expect(warn).toHaveBeenCalledTimes(5);
    } finally {
      down.disconnect();
    }
  });
});
