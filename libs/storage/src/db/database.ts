import { Kysely, Migrator, PostgresDialect, type MigrationProvider } from 'kysely';
import { Pool } from 'pg';
import { migrations } from './migrations';
import type { Database } from './schema';

export interface DatabaseOptions {
  /** Pool size. */
  max?: number;
  /** Longest a statement may run before PostgreSQL cancels it. */
  statementTimeoutMs?: number;
  /** Longest to wait for a connection (a stopped or frozen server). */
  connectTimeoutMs?: number;
  /** Told about connection errors, which would otherwise crash the process as unhandled 'error' events. */
  onError?: (err: Error) => void;
}

/**
 * A pool that rides out a database restart or failover: a dropped or terminated connection is reported and
 * discarded (the next query gets a new one), connecting and every statement are bounded in time, so a
 * stopped or frozen server turns into errors the callers map to 503s and job retries, never hangs or exits.
 */
export function createDatabase(url: string, options: DatabaseOptions = {}): Kysely<Database> {
  const statementTimeout = options.statementTimeoutMs ?? 30_000;
  const pool = new Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    statement_timeout: statementTimeout,
    // The client-side bound also covers a server that stopped answering at all (frozen, partitioned).
    query_timeout: statementTimeout + 5000,
    idle_in_transaction_session_timeout: statementTimeout * 2,
    keepAlive: true,
  });
  const onError = options.onError ?? (() => undefined);
  // An idle client's error reaches the pool; a checked-out client's (between a transaction's statements)
  // reaches only the client: both need a listener.
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

/** Brings the schema up to date; concurrent callers are serialised by Kysely's migration lock. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error instanceof Error) throw error;
  if (error) throw new Error(`migration failed: ${JSON.stringify(error)}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
