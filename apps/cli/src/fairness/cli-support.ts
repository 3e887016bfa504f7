import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { loadPipelineEnv, loadTenants, tenantConfig, type AppEnv } from '@clipguard/config';
import { policyRefSchema, policyVersionSchema, type PolicyRefInput } from '@clipguard/contracts';
import type { ParsedPolicy } from '@clipguard/policy';
import { PolicyVersions, createDatabase, type Database } from '@clipguard/storage';
import { UsageError } from '../errors';

/**
 * What the fairness commands share: database, policies directory, time window and policy references.
 * Errors the user can fix are UsageErrors (exit 2 with the message); the exit codes come from ../errors.
 */
export { EXIT_FLAGGED, UsageError } from '../errors';

export interface StoreFlags {
  databaseUrl?: string;
  policies?: string;
}

export interface WindowFlags {
  since?: string;
  until?: string;
  tenant?: string;
}

/** --database-url, --policies, --tenant, --since, --until on a command reading stored decisions. */
export function withStoreOptions(cmd: Command): Command {
  return cmd
    .option('--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL)')
    .option('--policies <dir>', 'policies directory (default: $CLIPGUARD_POLICIES_DIR or policies)')
    .option('--tenant <name>', 'only this tenant’s decisions')
    .option('--since <time>', 'from this time: ISO date or date-time, or 7d / 24h ago')
    .option('--until <time>', 'before this time: ISO date or date-time, or 1d / 6h ago');
}

const RELATIVE = /^(\d+)([hd])$/;

/** An ISO 8601 date or date-time, or a duration ago (`7d`, `24h`). */
export function parseTime(value: string, flag: string, now = new Date()): Date {
  const rel = RELATIVE.exec(value);
  if (rel) return new Date(now.getTime() - Number(rel[1]) * (rel[2] === 'd' ? 86_400_000 : 3_600_000));
  const date = /^\d{4}-\d{2}-\d{2}(T.+)?$/.test(value) ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime()))
    throw new UsageError(
      `${flag} ${value}: expected an ISO date or date-time (2026-03-01, 2026-03-01T12:00:00Z) or 7d / 24h`,
    );
  return date;
}

export function windowOf(flags: WindowFlags): { since?: Date; until?: Date; tenant?: string } {
  const since = flags.since === undefined ? undefined : parseTime(flags.since, '--since');
  const until = flags.until === undefined ? undefined : parseTime(flags.until, '--until');
  if (since && until && since >= until) throw new UsageError('--since must be before --until');
  return { since, until, ...(flags.tenant ? { tenant: flags.tenant } : {}) };
}

function parseRef<T>(
  schema: {
    safeParse: (
      v: unknown,
    ) => { success: true; data: T } | { success: false; error: { issues: { message: string }[] } };
  },
  value: string,
): T {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new UsageError(`--policy ${value}: ${r.error.issues.map((i) => i.message).join('; ')}`);
  return r.data;
}

export const policyRef = (value: string): PolicyRefInput => parseRef(policyRefSchema, value);
export const policyVersionRef = (value: string): Required<PolicyRefInput> =>
  parseRef(policyVersionSchema, value);

/** `ID@vN`; `ID`: with --tenant, the tenant's live version of it (tenants file), else the newest. */
export function resolvePolicy(
  env: AppEnv,
  versions: PolicyVersions,
  ref: PolicyRefInput,
  tenant?: string,
): ParsedPolicy {
  if (ref.version !== undefined) return versions.get(ref.id, ref.version);
  if (tenant) {
    const live = tenantConfig(loadTenants(env.CLIPGUARD_TENANTS_FILE), tenant)?.policy;
    if (live?.id === ref.id) return versions.get(live.id, live.version);
  }
  return versions.newest(ref.id);
}

export interface Store {
  env: AppEnv;
  db: Kysely<Database>;
  versions: PolicyVersions;
}

/** Runs `work` with the database and policies directory; always closes the pool. */
export async function withStore<T>(flags: StoreFlags, work: (store: Store) => Promise<T>): Promise<T> {
  const env = loadPipelineEnv();
  const db = createDatabase(flags.databaseUrl ?? env.DATABASE_URL, { max: 2 });
  try {
    return await work({
      env,
      db,
      versions: new PolicyVersions(flags.policies ?? env.CLIPGUARD_POLICIES_DIR),
    });
  } finally {
    await db.destroy();
  }
}

/** A positive integer option. */
export function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} ${value}: expected a whole number ≥ 1`);
    return n;
  };
}

/** A number in (0, 1]. */
export function share(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!(n > 0 && n <= 1)) throw new UsageError(`${flag} ${value}: expected a number in (0, 1]`);
    return n;
  };
}
