import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AppEnv } from '@clipguard/config';
import { ApiError } from '@clipguard/contracts';
import { ENV, LOGGER, REDIS } from '@clipguard/infra';

/**
 * Fixed one-minute window per tenant in Redis, shared by every API instance. While Redis is away it lets
 * requests through: Postgres, the record, still takes the work, and a rate limit must not turn a Redis
 * outage into refused uploads.
 */
@Injectable()
export class RateLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ENV) private readonly env: AppEnv,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async take(tenant: string, limit = this.env.CLIPGUARD_RATE_LIMIT_PER_MINUTE): Promise<void> {
    const window = Math.floor(Date.now() / 60_000);
    const key = `${this.env.CLIPGUARD_QUEUE_PREFIX}:rate:${tenant}:${window}`;
    let count: number;
    try {
      const replies = await this.redis.multi().incr(key).expire(key, 120).exec();
      count = Number(replies?.[0]?.[1] ?? 0);
    } catch (err) {
      this.logger.warn(
        { tenant, err: err instanceof Error ? err.message : String(err) },
        'rate limit not checked: Redis unavailable',
      );
      return;
    }
    if (count > limit)
      throw new ApiError('RATE_LIMITED', `tenant ${tenant} exceeded ${limit} requests per minute`);
  }
}
