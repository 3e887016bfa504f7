import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { FairnessError } from '@clipguard/audit';
import { ClipError } from '@clipguard/clip';
import { ConfigError, loadPipelineEnv, loadTenants, tenantConfig, type AppEnv } from '@clipguard/config';
import { policyRefSchema, policyVersionSchema, type PolicyRefInput } from '@clipguard/contracts';
import { PolicyError, type ParsedPolicy } from '@clipguard/policy';
import { DatabaseError } from 'pg';
import {
  FairnessWindowTooLargeError,
  PolicyVersions,
  createDatabase,
  isDatabaseUnavailable,
  type Database,
} from '@clipguard/storage';
import { CliError, UsageError, isError } from '../errors';
import { integerIn, parseOption } from '../options';

/** What the fairness commands share: database, policies directory, time window and policy references. */
export { EXIT_FLAGGED } from '../errors';

export interface StoreFlags {
  databaseUrl?: string;
  policies?: string;
  maxDecisions?: number;
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
    .option('--policies <dir>', 'policies directory (default: $CLIPGUARD_POLICIES_DIR, else policies)')
    .option('--tenant <name>', "only this tenant's decisions")
    .option('--since <time>', 'from this time: ISO date or date-time, or a duration ago (7d, 24h)')
    .option('--until <time>', 'before this time: ISO date or date-time, or a duration ago (1d, 6h)')
    .option(
      '--max-decisions <n>',
      'refuse a window holding more (default: $CLIPGUARD_FAIRNESS_MAX_DECISIONS, else 200000)',
      integerIn(1, 100_000_000),
    );
}

const RELATIVE = /^(\d+)([hd])$/;

/** An ISO 8601 date or date-time, or a duration ago (`7d`, `24h`). */
export function parseTime(value: string, flag: string, now = new Date()): Date {
  const rel = RELATIVE.exec(value);
  if (rel) return new Date(now.getTime() - Number(rel[1]) * (rel[2] === 'd' ? 86_400_000 : 3_600_000));
  const date = /^\d{4}-\d{2}-\d{2}(T.+)?$/.test(value) ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime()))
    throw new CliError(
      'OPTION_INVALID',
      `${flag} ${value}: not a time`,
      'an ISO date or date-time (2026-03-01, 2026-03-01T12:00:00Z), or a duration ago (7d, 24h)',
    );
  return date;
}

export function windowOf(flags: WindowFlags): { since?: Date; until?: Date; tenant?: string } {
  const since = flags.since === undefined ? undefined : parseTime(flags.since, '--since');
  const until = flags.until === undefined ? undefined : parseTime(flags.until, '--until');
  if (since && until && since >= until)
    throw new CliError('OPTION_INVALID', '--since must be before --until');
  return { since, until, ...(flags.tenant ? { tenant: flags.tenant } : {}) };
}

export const policyRef = (value: string): PolicyRefInput =>
  parseOption(policyRefSchema, value, `--policy ${value}`);
export const policyVersionRef = (value: string): Required<PolicyRefInput> =>
  parseOption(policyVersionSchema, value, `--policy ${value}`);

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
  /** --max-decisions, else CLIPGUARD_FAIRNESS_MAX_DECISIONS. */
  maxDecisions: number;
}

const EXPLAINED = [CliError, PolicyError, ClipError, ConfigError];

/**
 * A refusal of the database (a SQLSTATE) or of the connection to it (an errno such as ECONNREFUSED). By
 * the code, not the class: socket errors come from Node's realm, which `instanceof` misses in jest.
 */
function fromDatabase(err: unknown): boolean {
  if (err instanceof DatabaseError || isDatabaseUnavailable(err)) return true;
  const code = isError(err) ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^(E[A-Z]+|[0-9A-Z]{5})$/.test(code);
}

/**
 * Runs `work` with the database and policies directory, and always closes the pool. A window over the limit,
 * stored data that cannot be read and a database that is away or refuses become CliErrors with a fix.
 */
export async function withStore<T>(flags: StoreFlags, work: (store: Store) => Promise<T>): Promise<T> {
  const env = loadPipelineEnv();
  const db = createDatabase(flags.databaseUrl ?? env.DATABASE_URL, { max: 2 });
  const versions = new PolicyVersions(flags.policies ?? env.CLIPGUARD_POLICIES_DIR);
  try {
    return await work({
      env,
      db,
      versions,
      maxDecisions: flags.maxDecisions ?? env.CLIPGUARD_FAIRNESS_MAX_DECISIONS,
    });
  } catch (err) {
    if (EXPLAINED.some((kind) => err instanceof kind)) throw err;
    if (err instanceof FairnessWindowTooLargeError)
      throw new CliError(
        'WINDOW_TOO_LARGE',
        err.message,
        'narrow --since/--until or --tenant, or raise --max-decisions',
      );
    const message = isError(err) ? err.message : String(err);
    if (err instanceof FairnessError) throw new CliError('STORE_UNREADABLE', `${err.code}: ${message}`);
    if (fromDatabase(err))
      throw new CliError(
        'STORE_UNREADABLE',
        `cannot read the stored decisions: ${message}`,
        'check --database-url and that the database has been migrated (npm run migrate)',
      );
    throw err;
  } finally {
    await db.destroy();
  }
}

export { UsageError };
