import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AppEnv } from '@clipguard/config';
import { ApiError } from '@clipguard/contracts';
import { ENV, REDIS } from '@clipguard/infra';

const WINDOW_SECONDS = 15 * 60;

/**
 * Failed logins counted per account and per client address in a 15-minute window (Redis, shared by every API
 * instance). Unlike the webhook rate limit this fails closed: without Redis, guessing would be unlimited.
 */
@Injectable()
export class LoginLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ENV) private readonly env: AppEnv,
  ) {}

  private keys(email: string, ip: string): [string, number][] {
    const p = `${this.env.CLIPGUARD_QUEUE_PREFIX}:login`;
    return [
      [`${p}:account:${email}`, this.env.CLIPGUARD_LOGIN_LIMIT_PER_ACCOUNT],
      [`${p}:address:${ip}`, this.env.CLIPGUARD_LOGIN_LIMIT_PER_ADDRESS],
    ];
  }

  /** Refuses when either the account or the address has used up its failures. */
  async check(email: string, ip: string): Promise<void> {
    let counts: (string | null)[];
    try {
      counts = await this.redis.mget(...this.keys(email, ip).map(([k]) => k));
    } catch {
      throw new ApiError('LOGIN_UNAVAILABLE', 'logging in is unavailable right now; try again shortly');
    }
    if (this.keys(email, ip).some(([, limit], i) => Number(counts[i] ?? 0) >= limit))
      throw new ApiError('LOGIN_RATE_LIMITED', 'too many failed attempts; wait a few minutes and try again');
  }

  async failed(email: string, ip: string): Promise<void> {
    const multi = this.redis.multi();
    for (const [key] of this.keys(email, ip)) multi.incr(key).expire(key, WINDOW_SECONDS, 'NX');
    await multi.exec().catch(() => undefined);
  }

  async succeeded(email: string): Promise<void> {
    await this.redis.del(this.keys(email, '')[0][0]).catch(() => undefined);
  }
}
