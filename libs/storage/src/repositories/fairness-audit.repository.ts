import { sql, type Kysely } from 'kysely';
import type { AuditEntry } from '@clipguard/audit';
import type { Database } from '../db/schema';
import { AUDIT_LOCK, appendAudit } from './audit.repository';

export type FairnessAuditKind = Extract<AuditEntry['kind'], 'fairness' | 'drift' | 'fairness_baseline'>;

export interface FairnessAuditEntry extends AuditEntry {
  kind: FairnessAuditKind;
}

/** The ref of a tenant's scheduled fairness (or drift) entries for one policy version. */
export const fairnessRef = (tenant: string, policy: { id: string; version: number }) =>
  `${tenant}:${policy.id}@v${policy.version}`;

/** The ref of a policy version's baseline: one per version and content hash. */
export const baselineRef = (policy: { id: string; version: number; hash: string }) =>
  `${policy.id}@v${policy.version}:${policy.hash}`;

export interface StoredFairnessEntry {
  seq: string;
  ref: string;
  body: Record<string, unknown>;
  createdAt: Date;
}

/** What the fairness job, drift checks and policy baselines write to the audit log, and read back. */
export class FairnessAuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Appends the entry for one schedule slot (an ISO time, kept in the body as `slot`) unless an entry of
   * its kind and ref already covers that slot: every instance of the decision service runs the same
   * schedule, and the chain gets each slot's figures once. False when it was there already.
   */
  appendForSlot(entry: FairnessAuditEntry, slot: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
      const last = await trx
        .selectFrom('audit_log')
        .select(sql<string | null>`body ->> 'slot'`.as('slot'))
        .where('kind', '=', entry.kind)
        .where('ref', '=', entry.ref)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (last?.slot && last.slot >= slot) return false;
      await appendAudit(trx, { ...entry, body: { ...entry.body, slot } });
      return true;
    });
  }

  /** Appends the entry unless one of its kind and ref exists (a version's baseline is recorded once). */
  appendOnce(entry: FairnessAuditEntry): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
      const seen = await trx
        .selectFrom('audit_log')
        .select('seq')
        .where('kind', '=', entry.kind)
        .where('ref', '=', entry.ref)
        .limit(1)
        .executeTakeFirst();
      if (seen) return false;
      await appendAudit(trx, entry);
      return true;
    });
  }

  /** The newest entry of this kind for each of the refs that has one. */
  async latest(kind: FairnessAuditKind, refs: readonly string[]): Promise<StoredFairnessEntry[]> {
    if (refs.length === 0) return [];
    const rows = await this.db
      .selectFrom('audit_log')
      .distinctOn('ref')
      .select(['seq', 'ref', 'body', 'created_at'])
      .where('kind', '=', kind)
      .where('ref', 'in', refs)
      .orderBy('ref')
      .orderBy('seq', 'desc')
      .execute();
    return rows.map((r) => ({ seq: String(r.seq), ref: r.ref, body: r.body, createdAt: r.created_at }));
  }

  /** The newest entries of this kind whose ref starts with the prefix (a policy's baselines), newest first. */
  async withRefPrefix(kind: FairnessAuditKind, prefix: string, limit = 50): Promise<StoredFairnessEntry[]> {
    const rows = await this.db
      .selectFrom('audit_log')
      .select(['seq', 'ref', 'body', 'created_at'])
      .where('kind', '=', kind)
      .where('ref', 'like', `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ seq: String(r.seq), ref: r.ref, body: r.body, createdAt: r.created_at }));
  }
}
