import { sql, type Kysely, type Transaction } from 'kysely';
import {
  GENESIS_HASH,
  chainHash,
  verifyChain,
  type AuditEntry,
  type ChainCheck,
  type StoredAuditEntry,
} from '@clipguard/audit';
import type { Database } from '../db/schema';

// One lock id for the chain: appends are serialised so every entry links to exactly one predecessor.
export const AUDIT_LOCK = 7_402_311;

/** Appends inside the caller's transaction, so an entry exists exactly when what it records does. */
export async function appendAudit(trx: Transaction<Database>, entry: AuditEntry): Promise<string> {
  const [hash] = await appendAuditEntries(trx, [entry]);
  return hash;
}

/**
 * Appends entries in order under one hold of the chain lock: one read of the head and one multi-row insert
 * for the lot (a batch of decisions), each entry linked to the one before it. Returns their hashes.
 */
export async function appendAuditEntries(
  trx: Transaction<Database>,
  entries: readonly AuditEntry[],
): Promise<string[]> {
  if (entries.length === 0) return [];
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
  const last = await trx
    .selectFrom('audit_log')
    .select('hash')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  let prevHash = last?.hash ?? GENESIS_HASH;
  const rows = entries.map((entry) => {
    const hash = chainHash(prevHash, entry);
    const row = {
      kind: entry.kind,
      ref: entry.ref,
      body: JSON.stringify(entry.body),
      prev_hash: prevHash,
      hash,
    };
    prevHash = hash;
    return row;
  });
  // The rows of one VALUES list take their sequence numbers in list order, which is the chain's order.
  await trx.insertInto('audit_log').values(rows).execute();
  return rows.map((r) => r.hash);
}

/** The hash-chained audit log: reading, verifying, and the entries that stand on their own. */
export class AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Appends one entry in a transaction of its own. */
  append(entry: AuditEntry): Promise<string> {
    return this.db.transaction().execute((trx) => appendAudit(trx, entry));
  }

  /** Entries about these tenants (or about one submission), newest first, a page at a time. */
  forTenants(tenants: readonly string[], f: { ref?: string; before?: string; limit: number }) {
    if (tenants.length === 0) return Promise.resolve([]);
    let q = this.db
      .selectFrom('audit_log')
      .select(['seq', 'kind', 'ref', 'body', 'hash', 'created_at'])
      .where(sql<string>`body->>'tenant'`, 'in', tenants)
      .orderBy('seq', 'desc')
      .limit(f.limit);
    if (f.ref) q = q.where('ref', '=', f.ref);
    if (f.before) q = q.where('seq', '<', f.before);
    return q.execute();
  }

  /** The newest entry: what a checkpoint signs. */
  async head(): Promise<{ seq: string; hash: string } | undefined> {
    const row = await this.db
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && { seq: String(row.seq), hash: row.hash };
  }

  /** The hash stored for one entry, if the entry exists. */
  async entryHash(seq: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('audit_log')
      .select('hash')
      .where('seq', '=', seq)
      .executeTakeFirst();
    return row?.hash;
  }

  /** Streams the chain in pages and verifies every link. */
  async verify(pageSize = 1000): Promise<ChainCheck> {
    let after = '0';
    let prev = GENESIS_HASH;
    let total = 0;
    for (;;) {
      const rows = await this.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(pageSize)
        .execute();
      if (rows.length === 0) return { ok: true, entries: total };
      const entries: StoredAuditEntry[] = rows.map((r) => ({
        seq: String(r.seq),
        kind: r.kind as AuditEntry['kind'],
        ref: r.ref,
        body: r.body,
        prevHash: r.prev_hash,
        hash: r.hash,
      }));
      const check = verifyChain(entries, prev);
      if (!check.ok) return { ...check, entries: total + check.entries };
      total += entries.length;
      prev = entries[entries.length - 1].hash;
      after = entries[entries.length - 1].seq;
    }
  }

  /** One `policy_activation` entry per policy version and hash, however many services load it. */
  async recordPolicyActivations(
    policies: { id: string; version: number; hash: string; source: string }[],
  ): Promise<void> {
    for (const p of policies) {
      const ref = `policy:${p.id}@v${p.version}:${p.hash}`;
      await this.db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
        const seen = await trx
          .selectFrom('audit_log')
          .select('seq')
          .where('kind', '=', 'policy_activation')
          .where('ref', '=', ref)
          .executeTakeFirst();
        if (!seen) await appendAudit(trx, { kind: 'policy_activation', ref, body: { ...p } });
      });
    }
  }
}
