import type { Logger } from 'pino';
import { warnUnlessNoEviction } from '@clipguard/queue';
import { createDatabase, migrateToLatest } from './database';

/** What every app does before it starts: check Redis can't evict jobs, bring the schema up to date. */
export async function prepareInfrastructure(
  env: { DATABASE_URL: string; REDIS_URL: string },
  logger: Logger,
): Promise<void> {
  await warnUnlessNoEviction(env.REDIS_URL, logger);
  const db = createDatabase(env.DATABASE_URL, { max: 1 });
  try {
    const applied = await migrateToLatest(db);
    if (applied.length) logger.info({ applied }, 'database migrated');
  } finally {
    await db.destroy();
  }
}
