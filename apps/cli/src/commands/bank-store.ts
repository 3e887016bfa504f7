import { loadPipelineEnv } from '@clipguard/config';
import { BankRepository, SimilarCasesRepository, createDatabase, migrateToLatest } from '@clipguard/storage';
import { CliError } from '../errors';

// The CLI acts as the operator of the machine it runs on; the audit log names it so.
export const OPERATOR = { userId: null, name: 'clipguard-cli' };

export interface DbOptions {
  databaseUrl?: string;
}

interface Repositories {
  banks: BankRepository;
  cases: SimilarCasesRepository;
}

/** Runs `work` against the banks in Postgres (migrated first, as `users` does), and closes the pool. */
export async function withBanks<T>(opts: DbOptions, work: (repos: Repositories) => Promise<T>): Promise<T> {
  const db = createDatabase(opts.databaseUrl ?? loadPipelineEnv().DATABASE_URL, { max: 1 });
  try {
    await migrateToLatest(db);
    return await work({ banks: new BankRepository(db), cases: new SimilarCasesRepository(db) });
  } finally {
    await db.destroy();
  }
}

export async function findBank(banks: BankRepository, id: string) {
  const bank = await banks.find(id);
  if (!bank) throw new CliError('BANK_NOT_FOUND', `no bank ${id}`, 'list them with `clipguard bank list`');
  return bank;
}

export const dbOption = ['--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL)'] as const;
