import { z } from 'zod';
import { flag, int } from './env';
import { fairnessEnvShape } from './fairness-config';

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
  /** Address the workers' metrics servers listen on (default: HOST). */
  CLIPGUARD_METRICS_HOST: z.string().optional(),
  /** When set, /metrics and readiness details need `Authorization: Bearer <token>`. */
  CLIPGUARD_METRICS_TOKEN: z.string().min(16).optional(),
  CLIPGUARD_TENANTS_FILE: z.string().default('config/tenants.yaml'),
  CLIPGUARD_POLICIES_DIR: z.string().default('policies'),
  CLIPGUARD_POLICY_CACHE_DIR: z.string().default('.cache/clipguard/policies'),
  CLIPGUARD_POLICY_RELOAD_MS: int(10_000, 100),
  CLIPGUARD_BLOB_STORE: z.enum(['fs', 'redis']).default('fs'),
  CLIPGUARD_BLOB_DIR: z.string().default('.data/blobs'),
  CLIPGUARD_BLOB_TTL_SECONDS: int(7 * 24 * 3600, 60),
  CLIPGUARD_MAX_BODY_BYTES: int(16 * 1024 * 1024, 1024),
  CLIPGUARD_RATE_LIMIT_PER_MINUTE: int(6000, 1),
  /** The reconciler: how often it re-drives from Postgres work whose job Redis no longer holds. */
  CLIPGUARD_SWEEP_INTERVAL_MS: int(5000, 100),
  /** How long unfinished work must sit untouched before the reconciler looks for its job. */
  CLIPGUARD_SWEEP_GRACE_MS: int(5000, 0),
  /** Re-drives of one submission before it is failed with REDRIVE_EXHAUSTED (a poison loop guard). */
  CLIPGUARD_MAX_REDRIVES: int(5, 0),
  /** Longest the API waits for Redis to take a job after the commit (the reconciler covers a miss). */
  CLIPGUARD_ENQUEUE_TIMEOUT_MS: int(2000, 100),
  CLIPGUARD_DB_STATEMENT_TIMEOUT_MS: int(30_000, 100),
  CLIPGUARD_DB_CONNECT_TIMEOUT_MS: int(5000, 100),
  CLIPGUARD_WORKER_CONCURRENCY: int(32, 1),
  /**
   * How long a worker holds a job before another may take it over; a killed worker's jobs resume after
   * about this plus the stalled-check interval. Locks are renewed at half this period by the worker's event
   * loop, which the engine keeps free (inference and preprocessing run in other threads).
   */
  CLIPGUARD_LOCK_DURATION_MS: int(15_000, 1000),
  CLIPGUARD_STALLED_INTERVAL_MS: int(5000, 500),
  /** Decide jobs held at once: a batch is written while the next one fills, so twice the batch. */
  CLIPGUARD_DECIDE_CONCURRENCY: int(16, 1),
  /** Decide jobs written in one transaction at most. */
  CLIPGUARD_DECIDE_BATCH_MAX: int(8, 1),
  /** How long an idle decision service waits for more decide jobs to write with the first. */
  CLIPGUARD_DECIDE_BATCH_WAIT_MS: int(5, 0),
  CLIPGUARD_CALLBACK_CONCURRENCY: int(16, 1),
  /** Callbacks in flight per tenant and process: one tenant's slow endpoint cannot take every slot. */
  CLIPGUARD_CALLBACK_TENANT_CONCURRENCY: int(4, 1),
  CLIPGUARD_FETCH_ALLOW_HTTP: bool,
  CLIPGUARD_FETCH_ALLOW_PRIVATE: bool,
  CLIPGUARD_FETCH_TIMEOUT_MS: int(10_000, 100),
  CLIPGUARD_FETCH_MAX_REDIRECTS: int(3),
  CLIPGUARD_FRAMES: int(4, 1),
  CLIPGUARD_CALLBACK_TIMEOUT_MS: int(10_000, 100),
  CLIPGUARD_CALLBACK_BACKOFF_MS: int(2000, 1),
  CLIPGUARD_CALLBACK_HORIZON_MS: int(24 * 3600 * 1000, 1),
  CLIPGUARD_REVIEW_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(0),
  /** `clipguard users add|reset-password` read the new password from here (argv is visible to other users). */
  CLIPGUARD_NEW_PASSWORD: z.string().optional(),
  /** The review console: where its build is, sessions, claims, login limits. */
  CLIPGUARD_CONSOLE_DIR: z.string().default('dist/apps/review-console'),
  CLIPGUARD_CONSOLE_IDLE_MINUTES: int(30, 1),
  CLIPGUARD_CONSOLE_SESSION_HOURS: int(12, 1),
  CLIPGUARD_CONSOLE_CLAIM_SECONDS: int(300, 10),
  /** Similar past cases: how many of a tenant's newest human decisions are compared with the item. */
  CLIPGUARD_SIMILAR_SCAN_LIMIT: int(10_000, 1),
  /** `auto`: Secure cookies when the request came over https (directly or, with trust proxy, forwarded). */
  CLIPGUARD_CONSOLE_SECURE_COOKIE: z.enum(['auto', 'always', 'never']).default('auto'),
  /** Trust X-Forwarded-* from a reverse proxy (client address, protocol). */
  CLIPGUARD_TRUST_PROXY: bool,
  /** Failed logins allowed per account, and per client address, in 15 minutes. */
  CLIPGUARD_LOGIN_LIMIT_PER_ACCOUNT: int(5, 1),
  CLIPGUARD_LOGIN_LIMIT_PER_ADDRESS: int(30, 1),
  /** Ed25519 private key (PKCS#8 PEM) the decision service signs audit checkpoints with; none: no checkpoints. */
  CLIPGUARD_AUDIT_KEY_FILE: z.string().optional(),
  /** Where checkpoints are written: storage the database cannot rewrite. */
  CLIPGUARD_AUDIT_CHECKPOINT_DIR: z.string().default('.data/checkpoints'),
  CLIPGUARD_AUDIT_CHECKPOINT_INTERVAL_MS: int(60_000, 1000),
  ...fairnessEnvShape,
});

export type PipelineEnv = z.infer<typeof pipelineEnvSchema>;
