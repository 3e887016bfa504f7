import { Stack } from '@clipguard/testing';
import type { CallbackPlatform } from './callback-platform';

/** The machine's PostgreSQL, where a stack's database lives unless a scenario brings its own server. */
export const MACHINE_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The names the apps' processes get (each tags its database sessions with it, as PGAPPNAME). */
export const APPS = ['ingest-api', 'clip-worker', 'decision-service'] as const;

const TENANTS = ['acme', 'down', 'trickle', 'limited'] as const;
const apiKeyEnv = (tenant: string) => `${tenant.toUpperCase()}_API_KEY`;

/** A tenant's moderation API key (`<tenant>-key`), for reading its submissions back. */
export const apiKey = (tenant: string) => `${tenant}-key`;

/**
 * Tenants whose callbacks go to the suite's callback platform, one endpoint each: `acme` (healthy),
 * `down` and `trickle` (made to fail by the scenario), `limited` (20 webhooks a minute).
 */
const tenants = (platformUrl: string) => {
  const tenant = (name: string, extra: string[] = []) => [
    `  ${name}:`,
    `    name: ${name}`,
    '    policy: { id: shapes, version: 1, shadow: 2 }',
    '    webhook_secret_envs: [ACME_SECRET]',
    `    callback_url: ${platformUrl}/cb/${name}`,
    '    callback_secret_env: ACME_CALLBACK_SECRET',
    `    api_key_envs: [${apiKeyEnv(name)}]`,
    ...extra,
  ];
  return [
    'tenants:',
    ...TENANTS.flatMap((t) => tenant(t, t === 'limited' ? ['    rate_limit_per_minute: 20'] : [])),
  ];
};

export interface ChaosStackOptions {
  redisUrl?: string;
  postgresAdminUrl?: string;
  env?: Record<string, string>;
}

/**
 * The three apps as real processes for a fault scenario: short job locks so a killed worker's jobs move
 * on within seconds, each process's database sessions tagged with its name, callbacks to `platform`.
 */
export function chaosStack(platform: CallbackPlatform, options: ChaosStackOptions = {}): Stack {
  return new Stack({
    redisUrl: options.redisUrl,
    postgresAdminUrl: options.postgresAdminUrl ?? MACHINE_POSTGRES,
    env: {
      ...Object.fromEntries(TENANTS.map((t) => [apiKeyEnv(t), apiKey(t)])),
      CLIPGUARD_LOCK_DURATION_MS: '2000',
      CLIPGUARD_STALLED_INTERVAL_MS: '1000',
      CLIPGUARD_WORKER_CONCURRENCY: '16',
      ...options.env,
    },
    tenants: () => tenants(platform.url),
    appEnv: (name) => ({ PGAPPNAME: name }),
  });
}

/** Whether every app process the stack started under `names` is still the one it started, running. */
export function runningApps(stack: Stack, names: readonly string[] = APPS): string[] {
  return names.filter((n) => {
    const p = stack.process(n);
    return p !== undefined && p.exitCode === null && p.signalCode === null;
  });
}

/** For settle(): whether an app the stack started has exited, so waiting on is pointless. */
export const appDown =
  (stack: Stack, names: readonly string[] = APPS) =>
  () =>
    runningApps(stack, names).length < names.length;
