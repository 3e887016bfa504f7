import { z } from 'zod';
import { flag, int } from './env';

const bool = flag(false);

/** Settings of the running pipeline (API, workers, decision service). */
export const pipelineEnvSchema = z.object({
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/postgres'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /** BullMQ key prefix: separate deployments (or test runs) can share one Redis. */
  CLIPGUARD_QUEUE_PREFIX: z.string().default('clipguard'),
  PORT: int(8080),
  /** Port of the workers' /metrics endpoint (0: none). */
  CLIPGUARD_METRICS_PORT: int(0),
  HOST: z.string().default('0.0.0.0'),
  CLIPGUARD_TENANTS_FILE: z.string().default('config/tenants.yaml'),
  CLIPGUARD_POLICIES_DIR: z.string().default('policies'),
  CLIPGUARD_POLICY_CACHE_DIR: z.string().default('.cache/clipguard/policies'),
  CLIPGUARD_POLICY_RELOAD_MS: int(10_000, 100),
  CLIPGUARD_BLOB_STORE: z.enum(['fs', 'redis']).default('fs'),
  CLIPGUARD_BLOB_DIR: z.string().default('.data/blobs'),
  CLIPGUARD_BLOB_TTL_SECONDS: int(7 * 24 * 3600, 60),
  CLIPGUARD_MAX_BODY_BYTES: int(16 * 1024 * 1024, 1024),
  CLIPGUARD_RATE_LIMIT_PER_MINUTE: int(6000, 1),
  CLIPGUARD_SWEEP_INTERVAL_MS: int(5000, 100),
  CLIPGUARD_SWEEP_GRACE_MS: int(5000, 0),
  CLIPGUARD_WORKER_CONCURRENCY: int(32, 1),
  /** How long a worker holds a job before another may take it over (a crashed worker's jobs). */
  CLIPGUARD_LOCK_DURATION_MS: int(30_000, 1000),
  CLIPGUARD_STALLED_INTERVAL_MS: int(30_000, 500),
  CLIPGUARD_FETCH_ALLOW_HTTP: bool,
  CLIPGUARD_FETCH_ALLOW_PRIVATE: bool,
  CLIPGUARD_FETCH_TIMEOUT_MS: int(10_000, 100),
  CLIPGUARD_FETCH_MAX_REDIRECTS: int(3),
  CLIPGUARD_FRAMES: int(4, 1),
  CLIPGUARD_CALLBACK_TIMEOUT_MS: int(10_000, 100),
  CLIPGUARD_CALLBACK_BACKOFF_MS: int(2000, 1),
  CLIPGUARD_CALLBACK_HORIZON_MS: int(24 * 3600 * 1000, 1),
  CLIPGUARD_REVIEW_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(0),
});

export type PipelineEnv = z.infer<typeof pipelineEnvSchema>;
