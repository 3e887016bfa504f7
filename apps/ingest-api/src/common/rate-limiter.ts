import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { PipelineEnv } from '@clipguard/config';
import { ApiError } from '@clipguard/contracts';
import { ENV, REDIS } from './tokens';

/** Fixed one-minute window per tenant in Redis, shared by every API instance. */
@Injectable()
export class RateLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ENV) private readonly env: PipelineEnv,
  ) {}

  async take(tenant: string, limit = this.env.CLIPGUARD_RATE_LIMIT_PER_MINUTE): Promise<void> {
    const window = Math.floor(Date.now() / 60_000);
    const key = `${this.env.CLIPGUARD_QUEUE_PREFIX}:rate:${tenant}:${window}`;
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, 120).exec()) as [
      [null, number],
      [null, number],
    ];
    if (count > limit) {
      throw new ApiError(429, 'RATE_LIMITED', `tenant ${tenant} exceeded ${limit} requests per minute`);
    }
  }
}
