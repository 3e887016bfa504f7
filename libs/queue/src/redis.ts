import { Redis, type RedisOptions } from 'ioredis';

/** The one Redis connection factory. Workers need maxRetriesPerRequest: null (BullMQ blocks on them). */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
}

/** Queues must never lose jobs to eviction: returns the policy so the caller can say so loudly. */
export async function redisEvictionPolicy(redis: Redis): Promise<string> {
  const reply = await redis.config('GET', 'maxmemory-policy');
  return reply[1] ?? 'unknown';
}
