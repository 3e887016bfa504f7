import { Redis, type RedisOptions } from 'ioredis';

/**
 * The one Redis connection factory. Workers need maxRetriesPerRequest: null (BullMQ blocks on them); an
 * error listener is always attached, since ioredis emits connection errors that would otherwise be
 * unhandled 'error' events.
 */
export function createRedis(url: string, options: RedisOptions = {}, onError?: (err: Error) => void): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
  redis.on('error', onError ?? (() => undefined));
  return redis;
}

/**
 * For request paths (rate limits, blobs): commands fail at once while Redis is away instead of queueing,
 * so the API answers (and Postgres, the record, still takes the work) rather than hanging.
 */
export const FAIL_FAST_REDIS: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: 2000,
};

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
