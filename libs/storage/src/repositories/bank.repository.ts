import { createHash } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import {
  ALL_TENANTS,
  BankError,
  bankSchema,
  pdqFromHex,
  pdqToHex,
  type Bank,
  type BankChange,
  type BankEntry,
  type BankStore,
  type EntrySource,
  type EntryValue,
} from '@clipguard/banks';
import { decodeFloats } from '@clipguard/contracts';
import type { BankEntriesTable, BanksTable, Database } from '../db/schema';
import { appendAudit } from './audit.repository';
import type { Actor } from './user.repository';

// Bank writes are serialised, so revisions (a sequence) become visible in the order they were taken: a
// reader that has seen revision n never later finds a smaller one committed behind it.
export const BANK_LOCK = 7_402_312;
const PAGE = 1000;
/** Who changed a bank when the caller does not say (the in-process store interface has no actor). */
export const SYSTEM_ACTOR: Actor = { userId: null, name: 'system' };

/** A bank as listed: its definition and how many live entries it holds. */
export interface BankSummary extends Bank {
  entries: number;
  createdAt: Date;
  updatedAt: Date;
}

type BankRow = Selectable<BanksTable>;
type EntryRow = Selectable<BankEntriesTable>;

function bankOf(r: BankRow): Bank {
  return bankSchema.parse({
    id: r.id,
    title: r.title,
    description: r.description,
    tenants: r.tenants,
    kind: r.kind,
    threshold: r.threshold,
    action: r.action,
    enabled: r.enabled,
    modelId: r.model_id ?? undefined,
    matchDihedral: r.match_dihedral,
  });
}

function valueOf(r: EntryRow): EntryValue {
  if (r.kind === 'sha256' && r.sha256) return { kind: 'sha256', sha256: r.sha256 };
  if (r.kind === 'pdq' && r.pdq)
    return { kind: 'pdq', hash: pdqFromHex(r.pdq.toString('hex')), quality: r.pdq_quality ?? undefined };
  if (r.kind === 'embedding' && r.embedding && r.model_id)
    return { kind: 'embedding', vector: decodeFloats(r.embedding), modelId: r.model_id };
  throw new BankError('ENTRY_INVALID', `stored entry ${r.id} has no ${r.kind} value`);
}

function entryOf(r: EntryRow): BankEntry {
  return {
    id: r.id,
    bankId: r.bank_id,
    value: valueOf(r),
    source: r.source as EntrySource,
    addedBy: r.added_by,
    addedAt: new Date(r.added_at).toISOString(),
    note: r.note,
  };
}

function valueColumns(v: EntryValue) {
  return {
    kind: v.kind,
    sha256: v.kind === 'sha256' ? v.sha256 : null,
    pdq: v.kind === 'pdq' ? Buffer.from(pdqToHex(v.hash), 'hex') : null,
    pdq_quality: v.kind === 'pdq' ? (v.quality ?? null) : null,
    embedding:
      v.kind === 'embedding' ? Buffer.from(v.vector.buffer, v.vector.byteOffset, v.vector.byteLength) : null,
    model_id: v.kind === 'embedding' ? v.modelId : null,
  };
}

/** What the audit log keeps of an entry's value: the hash itself, or a fingerprint of an embedding. */
export function auditValue(v: EntryValue): Record<string, unknown> {
  switch (v.kind) {
    case 'sha256':
      return { sha256: v.sha256 };
    case 'pdq':
      return { pdq: pdqToHex(v.hash), ...(v.quality !== undefined && { quality: v.quality }) };
    case 'embedding':
      return {
        embedding_sha256: createHash('sha256')
          .update(Buffer.from(v.vector.buffer, v.vector.byteOffset, v.vector.byteLength))
          .digest('hex'),
        dimensions: v.vector.length,
        model_id: v.modelId,
      };
  }
}

/** The tenant an audit entry is filed under (`body.tenant` is how the audit API filters). */
const auditTenant = (tenants: readonly string[]) => (tenants.length === 1 ? { tenant: tenants[0] } : {});

function definition(b: Bank) {
  return {
    title: b.title,
    description: b.description,
    tenants: b.tenants,
    kind: b.kind,
    threshold: b.threshold,
    action: b.action,
    enabled: b.enabled,
    model_id: b.modelId ?? null,
    match_dihedral: b.matchDihedral,
  };
}

/**
 * Banks and their entries in Postgres (libs/banks' BankStore): one row per bank, one per entry (removal
 * keeps the row), and `bank_changes` as the revision log that processes follow. Every change is an
 * audit entry with its actor, in the same transaction as the change.
 */
export class BankRepository implements BankStore {
  constructor(private readonly db: Kysely<Database>) {}

  async listBanks(): Promise<Bank[]> {
    const rows = await this.db
      .selectFrom('banks')
      .selectAll()
      .where('deleted_at', 'is', null)
      .orderBy('id')
      .execute();
    return rows.map(bankOf);
  }

  /**
   * Banks that apply to any of these tenants (theirs and the '*' ones), or every bank when no tenants
   * are given, with their live entry counts.
   */
  async summaries(tenants?: readonly string[]): Promise<BankSummary[]> {
    if (tenants?.length === 0) return [];
    let q = this.db
      .selectFrom('banks')
      .selectAll('banks')
      .select((eb) =>
        eb
          .selectFrom('bank_entries')
          .select(eb.fn.countAll<string>().as('n'))
          .whereRef('bank_entries.bank_id', '=', 'banks.id')
          .where('bank_entries.removed_at', 'is', null)
          .as('entries'),
      )
      .where('deleted_at', 'is', null);
    if (tenants) q = q.where(sql<boolean>`tenants && ${sql.val([...tenants, ALL_TENANTS])}::text[]`);
    const rows = await q.orderBy('id').execute();
    return rows.map((r) => ({
      ...bankOf(r),
      entries: Number(r.entries ?? 0),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  /** One bank (not deleted), or undefined. */
  async find(bankId: string): Promise<Bank | undefined> {
    const row = await this.db
      .selectFrom('banks')
      .selectAll()
      .where('id', '=', bankId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return row && bankOf(row);
  }

  /** Live entries of a bank, newest first, a page at a time (for listing; indexes use `entries`). */
  async listEntries(bankId: string, limit = 100, before?: string): Promise<BankEntry[]> {
    let q = this.db
      .selectFrom('bank_entries')
      .selectAll()
      .where('bank_id', '=', bankId)
      .where('removed_at', 'is', null)
      .orderBy('added_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit);
    if (before) q = q.where('added_at', '<', new Date(before));
    return (await q.execute()).map(entryOf);
  }

  async findEntry(bankId: string, entryId: string): Promise<BankEntry | undefined> {
    const row = await this.db
      .selectFrom('bank_entries')
      .selectAll()
      .where('bank_id', '=', bankId)
      .where('id', '=', entryId)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    return row && entryOf(row);
  }

  async *entries(bankId: string): AsyncIterable<BankEntry> {
    let after: string | undefined;
    for (;;) {
      let q = this.db
        .selectFrom('bank_entries')
        .selectAll()
        .where('bank_id', '=', bankId)
        .where('removed_at', 'is', null)
        .orderBy('id')
        .limit(PAGE);
      if (after) q = q.where('id', '>', after);
      const rows = await q.execute();
      for (const r of rows) yield entryOf(r);
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1].id;
    }
  }

  async currentRevision(): Promise<number> {
    const row = await this.db
      .selectFrom('bank_changes')
      .select((eb) => eb.fn.max('revision').as('revision'))
      .executeTakeFirst();
    return Number(row?.revision ?? 0);
  }

  async changesSince(revision: number, limit = PAGE): Promise<BankChange[]> {
    const rows = await this.db
      .selectFrom('bank_changes as c')
      .innerJoin('banks as b', 'b.id', 'c.bank_id')
      .leftJoin('bank_entries as e', 'e.id', 'c.entry_id')
      .selectAll('b')
      .select(['c.revision', 'c.type', 'c.entry_id'])
      .select([
        'e.kind as e_kind',
        'e.sha256 as e_sha256',
        'e.pdq as e_pdq',
        'e.pdq_quality as e_pdq_quality',
        'e.embedding as e_embedding',
        'e.model_id as e_model_id',
        'e.source as e_source',
        'e.added_by as e_added_by',
        'e.added_at as e_added_at',
        'e.note as e_note',
      ])
      .where('c.revision', '>', String(revision))
      .orderBy('c.revision')
      .limit(limit)
      .execute();
    return rows.map((r): BankChange => {
      const rev = Number(r.revision);
      if (r.type === 'bank-deleted') return { revision: rev, type: 'bank-deleted', bankId: r.id };
      if (r.type === 'entry-removed')
        return { revision: rev, type: 'entry-removed', bankId: r.id, entryId: r.entry_id ?? '' };
      if (r.type === 'entry-added') {
        const entry = entryOf({
          id: r.entry_id ?? '',
          bank_id: r.id,
          kind: r.e_kind ?? '',
          sha256: r.e_sha256,
          pdq: r.e_pdq,
          pdq_quality: r.e_pdq_quality,
          embedding: r.e_embedding,
          model_id: r.e_model_id,
          source: r.e_source ?? 'api',
          added_by: r.e_added_by ?? '',
          added_at: r.e_added_at ?? new Date(0),
          note: r.e_note ?? '',
          removed_at: null,
          removed_by: null,
        });
        return { revision: rev, type: 'entry-added', entry };
      }
      return { revision: rev, type: 'bank-saved', bank: bankOf(r) };
    });
  }

  /** Creates or changes a bank; its kind cannot change while it exists (its entries are of that kind). */
  saveBank(bank: Bank, actor: Actor = SYSTEM_ACTOR): Promise<BankChange> {
    const parsed = bankSchema.parse(bank);
    return this.write(async (trx) => {
      const existing = await trx
        .selectFrom('banks')
        .selectAll()
        .where('id', '=', parsed.id)
        .executeTakeFirst();
      const live = existing && existing.deleted_at === null;
      if (live && existing.kind !== parsed.kind)
        throw new BankError(
          'BANK_KIND_MISMATCH',
          `bank ${parsed.id} holds ${existing.kind} entries; its kind cannot change`,
        );
      const values = { ...definition(parsed), updated_at: new Date(), deleted_at: null };
      if (existing) await trx.updateTable('banks').set(values).where('id', '=', parsed.id).execute();
      else
        await trx
          .insertInto('banks')
          .values({ id: parsed.id, created_by: actor.name, ...values })
          .execute();
      const revision = await this.change(trx, 'bank-saved', parsed.id);
      await appendAudit(trx, {
        kind: 'bank',
        ref: `bank:${parsed.id}`,
        body: {
          ...auditTenant(parsed.tenants),
          actor,
          action: live ? 'update' : 'create',
          revision,
          bank: { id: parsed.id, ...definition(parsed) },
        },
      });
      return { revision, type: 'bank-saved', bank: parsed };
    });
  }

  /** Deletes a bank and removes its entries (the rows stay for the record). */
  deleteBank(bankId: string, actor: Actor = SYSTEM_ACTOR): Promise<BankChange | undefined> {
    return this.write(async (trx) => {
      const row = await trx
        .updateTable('banks')
        .set({ deleted_at: new Date(), updated_at: new Date() })
        .where('id', '=', bankId)
        .where('deleted_at', 'is', null)
        .returning('tenants')
        .executeTakeFirst();
      if (!row) return undefined;
      await trx
        .updateTable('bank_entries')
        .set({ removed_at: new Date(), removed_by: actor.name })
        .where('bank_id', '=', bankId)
        .where('removed_at', 'is', null)
        .execute();
      const revision = await this.change(trx, 'bank-deleted', bankId);
      await appendAudit(trx, {
        kind: 'bank',
        ref: `bank:${bankId}`,
        body: { ...auditTenant(row.tenants), actor, action: 'delete', revision },
      });
      return { revision, type: 'bank-deleted', bankId };
    });
  }

  /**
   * Adds an entry. The same sha256 or PDQ hash already in the bank is not added twice: the change that
   * added it is returned instead (its entry id tells the caller).
   */
  addEntry(entry: BankEntry, actor: Actor = { userId: null, name: entry.addedBy }): Promise<BankChange> {
    return this.write((trx) => this.insertEntry(trx, entry, actor));
  }

  /** Adds many entries in one transaction (an imported hash list); duplicates are skipped and counted. */
  addEntries(entries: readonly BankEntry[], actor: Actor): Promise<{ added: number; duplicates: number }> {
    return this.write(async (trx) => {
      let added = 0;
      for (const entry of entries) {
        const change = await this.insertEntry(trx, entry, actor);
        if (change.type === 'entry-added' && change.entry.id === entry.id) added++;
      }
      return { added, duplicates: entries.length - added };
    });
  }

  removeEntry(bankId: string, entryId: string, actor: Actor = SYSTEM_ACTOR): Promise<BankChange | undefined> {
    return this.write(async (trx) => {
      const row = await trx
        .updateTable('bank_entries')
        .set({ removed_at: new Date(), removed_by: actor.name })
        .where('bank_id', '=', bankId)
        .where('id', '=', entryId)
        .where('removed_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (!row) return undefined;
      const bank = await trx
        .selectFrom('banks')
        .select('tenants')
        .where('id', '=', bankId)
        .executeTakeFirstOrThrow();
      const revision = await this.change(trx, 'entry-removed', bankId, entryId);
      await appendAudit(trx, {
        kind: 'bank_entry',
        ref: `bank:${bankId}/entry:${entryId}`,
        body: {
          ...auditTenant(bank.tenants),
          actor,
          action: 'remove',
          revision,
          ...auditValue(valueOf(row)),
        },
      });
      return { revision, type: 'entry-removed', bankId, entryId };
    });
  }

  private async insertEntry(trx: Transaction<Database>, entry: BankEntry, actor: Actor): Promise<BankChange> {
    const bank = await trx
      .selectFrom('banks')
      .selectAll()
      .where('id', '=', entry.bankId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!bank) throw new BankError('BANK_NOT_FOUND', `no bank ${entry.bankId}`);
    const v = entry.value;
    if (v.kind !== bank.kind)
      throw new BankError('BANK_KIND_MISMATCH', `bank ${bank.id} holds ${bank.kind} entries, not ${v.kind}`);
    if (v.kind === 'embedding' && v.modelId !== bank.model_id)
      throw new BankError(
        'EMBEDDING_INVALID',
        `bank ${bank.id} holds embeddings of model ${bank.model_id}, not ${v.modelId}`,
      );
    if (v.kind === 'embedding') await this.assertDimensions(trx, bank.id, v.vector.length);
    const columns = valueColumns(v);
    const duplicate = await trx
      .selectFrom('bank_entries')
      .selectAll()
      .where('bank_id', '=', bank.id)
      .where('removed_at', 'is', null)
      .where((eb) =>
        columns.sha256 !== null
          ? eb('sha256', '=', columns.sha256)
          : columns.pdq !== null
            ? eb('pdq', '=', columns.pdq)
            : eb.val(false),
      )
      .executeTakeFirst();
    if (duplicate) {
      const added = await trx
        .selectFrom('bank_changes')
        .select('revision')
        .where('entry_id', '=', duplicate.id)
        .where('type', '=', 'entry-added')
        .executeTakeFirstOrThrow();
      return { revision: Number(added.revision), type: 'entry-added', entry: entryOf(duplicate) };
    }
    const row = await trx
      .insertInto('bank_entries')
      .values({
        id: entry.id,
        bank_id: bank.id,
        ...columns,
        source: entry.source,
        added_by: entry.addedBy,
        added_at: entry.addedAt,
        note: entry.note,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const revision = await this.change(trx, 'entry-added', bank.id, entry.id);
    await appendAudit(trx, {
      kind: 'bank_entry',
      ref: `bank:${bank.id}/entry:${entry.id}`,
      body: {
        ...auditTenant(bank.tenants),
        actor,
        action: 'add',
        revision,
        source: entry.source,
        note: entry.note,
        ...auditValue(v),
      },
    });
    return { revision, type: 'entry-added', entry: entryOf(row) };
  }

  /**
   * One bank, one embedding size: every process's index of the bank takes the first entry's size, and an
   * entry of another size would stop them loading it. Writers hold BANK_LOCK, so the check cannot race.
   */
  private async assertDimensions(trx: Transaction<Database>, bankId: string, dimensions: number) {
    const row = await trx
      .selectFrom('bank_entries')
      .select(sql<number>`octet_length(embedding)`.as('bytes'))
      .where('bank_id', '=', bankId)
      .where('removed_at', 'is', null)
      .limit(1)
      .executeTakeFirst();
    if (row && row.bytes !== dimensions * 4)
      throw new BankError(
        'EMBEDDING_INVALID',
        `bank ${bankId} holds ${row.bytes / 4}-dimensional embeddings, not ${dimensions}`,
      );
  }

  private async change(
    trx: Transaction<Database>,
    type: BankChange['type'],
    bankId: string,
    entryId: string | null = null,
  ): Promise<number> {
    const { revision } = await trx
      .insertInto('bank_changes')
      .values({ type, bank_id: bankId, entry_id: entryId })
      .returning('revision')
      .executeTakeFirstOrThrow();
    return Number(revision);
  }

  private write<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${BANK_LOCK})`.execute(trx);
      return work(trx);
    });
  }
}
