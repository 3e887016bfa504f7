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

/** Startup check shared by every app: says loudly when queued jobs could be evicted. */
export async function warnUnlessNoEviction(
  url: string,
  logger: { error: (obj: object, msg: string) => void },
): Promise<void> {
  const redis = createRedis(url);
  try {
    const policy = await redisEvictionPolicy(redis);
    if (policy !== 'noeviction') {
      logger.error(
        { policy },
        `REDIS maxmemory-policy is "${policy}", not "noeviction": queued jobs can be evicted and lost`,
      );
    }
  } finally {
    redis.disconnect();
  }
}
