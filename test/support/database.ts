import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Client } from 'pg';
import type { Verdict } from '@clipguard/contracts';
import {
  createDatabase,
  migrateToLatest,
  type Database,
  type DecisionOutcome,
  type DecisionRecord,
  type SubmissionRepository,
} from '@clipguard/storage';

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

/** A new submission of `tenant` (queued, never enqueued), inserted through the repository. */
export async function seedSubmission(
  submissions: SubmissionRepository,
  tenant = 'acme',
  eventId = `evt-${randomUUID()}`,
): Promise<string> {
  const { id } = await submissions.insert(
    { tenant, eventId, contentUrl: null, blobKey: 'b'.repeat(64), metadata: {}, priority: 'normal' },
    randomUUID(),
  );
  return id;
}

/** What a decide job settles for a submission: a live decision (and a shadow one), plus what the test adds. */
export function decisionOutcome(
  submissionId: string,
  extra: Partial<DecisionOutcome> & { verdict?: Verdict; version?: number; shadowVersion?: number } = {},
): DecisionOutcome {
  const { verdict = 'block', version = 1, shadowVersion, ...rest } = extra;
  const record = (v: number, shadow: boolean): DecisionRecord => ({
    policy: { id: 'shapes', version: v, hash: `hash-v${v}` },
    modelId: 'tiny-model',
    verdict,
    safetyScore: 0.25,
    body: { id: submissionId, verdict, shadow },
    audit: { verdict, policy_version: v },
  });
  return {
    submissionId,
    tenant: 'acme',
    live: record(version, false),
    shadow: shadowVersion === undefined ? undefined : record(shadowVersion, true),
    embedding: {
      contentSha256: 'e'.repeat(64),
      modelId: 'tiny-model',
      frames: 1,
      vectors: Buffer.from(Float32Array.from([0.6, 0.8]).buffer),
    },
    ...rest,
  };
}
