import { sql, type Kysely, type Selectable } from 'kysely';
import type { SubmissionStatus, Verdict } from '@clipguard/contracts';
import type { Database, SubmissionsTable } from '../db/schema';

export type Submission = Selectable<SubmissionsTable>;

export interface NewSubmission {
  tenant: string;
  eventId: string;
  webhookId?: string;
  contentUrl: string | null;
  blobKey: string | null;
  metadata: Record<string, unknown>;
  priority: string;
}

export interface SubmissionListFilter {
  tenant: string;
  verdict?: Verdict;
  since?: Date;
  before?: Date;
  limit: number;
}

const ago = (ms: number) => sql<Date>`now() - ${`${ms} milliseconds`}::interval`;
const UNFINISHED: SubmissionStatus[] = ['queued', 'embedding', 'deciding'];

/** Submissions: idempotent insert by (tenant, event id), forward-only status changes, reconciliation reads. */
export class SubmissionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Inserts unless the event is known; either way returns the submission's id. */
  async insert(s: NewSubmission, id: string): Promise<{ id: string; inserted: boolean }> {
    const inserted = await this.db
      .insertInto('submissions')
      .values({
        id,
        tenant: s.tenant,
        event_id: s.eventId,
        webhook_id: s.webhookId ?? null,
        status: 'queued',
        content_url: s.contentUrl,
        blob_key: s.blobKey,
        content_sha256: s.blobKey,
        metadata: JSON.stringify(s.metadata),
        priority: s.priority,
      })
      .onConflict((oc) => oc.columns(['tenant', 'event_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return { id: inserted.id, inserted: true };
    const existing = await this.db
      .selectFrom('submissions')
      .select('id')
      .where('tenant', '=', s.tenant)
      .where('event_id', '=', s.eventId)
      .executeTakeFirstOrThrow();
    return { id: existing.id, inserted: false };
  }

  /** A submission, only if it belongs to `tenant` when one is given (tenant isolation). */
  find(id: string, tenant?: string): Promise<Submission | undefined> {
    let q = this.db.selectFrom('submissions').selectAll().where('id', '=', id);
    if (tenant !== undefined) q = q.where('tenant', '=', tenant);
    return q.executeTakeFirst();
  }

  /** Several submissions by id, in one round trip (a batch of decide jobs); missing ones are left out. */
  findMany(ids: readonly string[]): Promise<Submission[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('submissions').selectAll().where('id', 'in', ids).execute();
  }

  /** Records where a fetched image's bytes are kept. */
  async setBlob(id: string, blobKey: string): Promise<void> {
    await this.db.updateTable('submissions').set({ blob_key: blobKey }).where('id', '=', id).execute();
  }

  async markEnqueued(id: string): Promise<void> {
    await this.db.updateTable('submissions').set({ enqueued_at: new Date() }).where('id', '=', id).execute();
  }

  /**
   * The submission an embed job works on, moved queued → embedding on the way: one round trip where a
   * read and a guarded update took two. A re-run job finds it further along and leaves it as it is.
   */
  async claimForEmbedding(id: string): Promise<Submission | undefined> {
    const moved = await this.db
      .updateTable('submissions')
      .set({ status: 'embedding', updated_at: new Date() })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .returningAll()
      .executeTakeFirst();
    return moved ?? this.find(id);
  }

  /**
   * → deciding, never from `decided`/`failed`. A re-driven submission already `deciding` takes the new
   * decide job's id (the live policy version may have changed), without moving.
   */
  async startDeciding(id: string, contentSha256: string, decideJobId: string): Promise<boolean> {
    return this.advance(id, 'deciding', ['queued', 'embedding', 'deciding'], {
      content_sha256: contentSha256,
      decide_job_id: decideJobId,
    });
  }

  /** Records a failure the submission owns; a decided submission stays decided. */
  async markFailed(id: string, code: string, message: string): Promise<boolean> {
    return this.advance(id, 'failed', UNFINISHED, {
      error_code: code,
      error_message: message.slice(0, 1000),
    });
  }

  private async advance(
    id: string,
    to: SubmissionStatus,
    from: SubmissionStatus[],
    set: Partial<Record<'content_sha256' | 'decide_job_id' | 'error_code' | 'error_message', string>>,
  ): Promise<boolean> {
    const res = await this.db
      .updateTable('submissions')
      .set({ ...set, status: to, updated_at: new Date() })
      .where('id', '=', id)
      .where('status', 'in', from)
      .executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }

  /** Unfinished submissions untouched for `graceMs`: the reconciler checks their jobs still exist. */
  listUnfinished(graceMs: number, limit: number): Promise<Submission[]> {
    return this.db
      .selectFrom('submissions')
      .selectAll()
      .where('status', 'in', UNFINISHED)
      .where('updated_at', '<', ago(graceMs))
      .orderBy('updated_at')
      .limit(limit)
      .execute();
  }

  /** Counts a re-drive; guarded by the count read, so concurrent reconcilers re-drive a submission once. */
  async countRedrive(id: string, seen: number): Promise<boolean> {
    const res = await this.db
      .updateTable('submissions')
      .set({ redrives: seen + 1, enqueued_at: new Date(), updated_at: new Date() })
      .where('id', '=', id)
      .where('redrives', '=', seen)
      .where('status', 'in', UNFINISHED)
      .executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }

  /** Age in seconds of the oldest unfinished submission, and how many there are. */
  async unfinishedSummary(): Promise<{ count: number; oldestSeconds: number }> {
    const row = await this.db
      .selectFrom('submissions')
      .select([
        sql<string>`count(*)`.as('n'),
        sql<number | null>`extract(epoch from now() - min(created_at))`.as('oldest'),
      ])
      .where('status', 'in', UNFINISHED)
      .executeTakeFirstOrThrow();
    return { count: Number(row.n), oldestSeconds: Number(row.oldest ?? 0) };
  }

  list(f: SubmissionListFilter) {
    let q = this.db
      .selectFrom('submissions as s')
      .leftJoin('decisions as d', (j) => j.onRef('d.submission_id', '=', 's.id').on('d.shadow', '=', false))
      .select(['s.id', 's.status', 's.event_id', 's.created_at', 'd.verdict', 'd.safety_score'])
      .where('s.tenant', '=', f.tenant)
      .orderBy('s.created_at', 'desc')
      .limit(f.limit);
    if (f.verdict) q = q.where('d.verdict', '=', f.verdict);
    if (f.since) q = q.where('s.created_at', '>=', f.since);
    if (f.before) q = q.where('s.created_at', '<', f.before);
    return q.execute();
  }
}
