import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Client } from 'pg';
import { createDatabase, migrateToLatest, type Database } from '@clipguard/storage';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(statement: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  db: Kysely<Database>;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database of the suite's own (`cg_unit_<random>`) with every migration applied. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `cg_unit_${randomBytes(4).toString('hex')}`;
  await admin(`create database ${name}`);
  const db = createDatabase(`postgres://postgres@127.0.0.1:5432/${name}`, { max: 8 });
  await migrateToLatest(db);
  return {
    db,
    name,
    async drop() {
      await db.destroy();
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}
