import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { QueueFilter, QueueKind } from '@clipguard/contracts';
import type { Database } from '../db/schema';
import { appendAudit } from './audit.repository';
import type { Actor } from './user.repository';

type PendingQuery = SelectQueryBuilder<Database, 'reviews', object>;

/** Only pending items of these tenants in this queue, narrowed by the console's filters. */
function pending(
  q: PendingQuery,
  queue: QueueKind,
  tenants: readonly string[],
  f: QueueFilter,
): PendingQuery {
  let out = q
    .where('reviews.queue', '=', queue)
    .where('reviews.status', '=', 'pending')
    .where('reviews.tenant', 'in', tenants);
  if (f.tenant) out = out.where('reviews.tenant', '=', f.tenant);
  if (f.category) out = out.where('reviews.top_category', '=', f.category);
  if (f.trigger) out = out.where('reviews.trigger', '=', f.trigger);
  if (f.min_age_minutes)
    out = out.where(
      'reviews.created_at',
      '<=',
      sql<Date>`now() - ${`${f.min_age_minutes} minutes`}::interval`,
    );
  return out;
}

const claimable = sql<boolean>`(reviews.claimed_by is null or reviews.claim_expires_at < now())`;
const lease = (seconds: number) => sql<Date>`now() + ${`${seconds} seconds`}::interval`;

/** The console's queues: what is waiting, and claims on it (leases that expire on their own). */
export class ReviewQueueRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Depth, claimed, oldest age per queue and tenant. */
  async summaries(tenants: readonly string[]) {
    if (tenants.length === 0) return [];
    return this.db
      .selectFrom('reviews')
      .select([
        'queue',
        'tenant',
        sql<string>`count(*)`.as('depth'),
        sql<string>`count(*) filter (where claim_expires_at > now())`.as('claimed'),
        sql<number>`coalesce(extract(epoch from now() - min(created_at)), 0)`.as('oldest_age_seconds'),
      ])
      .where('status', '=', 'pending')
      .where('tenant', 'in', tenants)
      .groupBy(['queue', 'tenant'])
      .execute();
  }

  /** Items older than `seconds` per queue and tenant (SLA breaches). */
  async olderThan(tenant: string, queue: QueueKind, seconds: number): Promise<number> {
    const row = await this.db
      .selectFrom('reviews')
      .select(sql<string>`count(*)`.as('n'))
      .where('status', '=', 'pending')
      .where('tenant', '=', tenant)
      .where('queue', '=', queue)
      .where('created_at', '<', sql<Date>`now() - ${`${seconds} seconds`}::interval`)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Pending items by priority: severity, then score, then age. */
  list(queue: QueueKind, tenants: readonly string[], f: QueueFilter, limit: number) {
    if (tenants.length === 0) return Promise.resolve([]);
    return pending(this.db.selectFrom('reviews'), queue, tenants, f)
      .selectAll('reviews')
      .orderBy('severity', (o) => o.desc().nullsLast())
      .orderBy('top_score', (o) => o.desc().nullsLast())
      .orderBy('created_at')
      .limit(limit)
      .execute();
  }

  /**
   * Claims the next item for the user: the one they already hold in this queue if any (renewed), else the
   * highest-priority pending item nobody holds (or whose lease ran out). Rows being claimed concurrently are
   * skipped (FOR UPDATE SKIP LOCKED), so two moderators never get the same item.
   */
  claimNext(
    actor: Actor & { userId: string },
    queue: QueueKind,
    tenants: readonly string[],
    f: QueueFilter,
    exclude: readonly string[],
    leaseSeconds: number,
  ): Promise<string | undefined> {
    if (tenants.length === 0) return Promise.resolve(undefined);
    return this.db.transaction().execute(async (trx) => {
      const held = await pending(trx.selectFrom('reviews'), queue, tenants, {})
        .select('reviews.id')
        .where('reviews.claimed_by', '=', actor.userId)
        .where('reviews.claim_expires_at', '>', sql<Date>`now()`)
        .executeTakeFirst();
      if (held) {
        await trx
          .updateTable('reviews')
          .set({ claim_expires_at: lease(leaseSeconds) })
          .where('id', '=', held.id)
          .execute();
        return held.id;
      }
      let candidates = pending(trx.selectFrom('reviews'), queue, tenants, f)
        .select('reviews.id')
        .where(claimable);
      if (exclude.length) candidates = candidates.where('reviews.id', 'not in', exclude);
      const picked = await candidates
        .orderBy('severity', (o) => o.desc().nullsLast())
        .orderBy('top_score', (o) => o.desc().nullsLast())
        .orderBy('created_at')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!picked) return undefined;
      const claimed = await trx
        .updateTable('reviews')
        .set({ claimed_by: actor.userId, claim_expires_at: lease(leaseSeconds) })
        .where('id', '=', picked.id)
        .returning(['id', 'submission_id', 'tenant'])
        .executeTakeFirstOrThrow();
      await appendAudit(trx, {
        kind: 'claim',
        ref: claimed.submission_id,
        body: { tenant: claimed.tenant, review: claimed.id, queue, actor },
      });
      return claimed.id;
    });
  }

  /** Extends the user's lease on an item they hold; undefined if they do not hold it (any more). */
  async renew(id: string, userId: string, leaseSeconds: number): Promise<Date | undefined> {
    const row = await this.db
      .updateTable('reviews')
      .set({ claim_expires_at: lease(leaseSeconds) })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('claimed_by', '=', userId)
      .where('claim_expires_at', '>', sql<Date>`now()`)
      .returning('claim_expires_at')
      .executeTakeFirst();
    return row?.claim_expires_at ?? undefined;
  }

  /**
   * Gives a pending item to `to` (null: back to the queue). `holder`, when given, must be who holds it now
   * (a moderator releasing their own claim); a lead passes none.
   */
  reassign(
    id: string,
    to: string | null,
    holder: string | null,
    actor: Actor,
    leaseSeconds: number,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      let q = trx
        .updateTable('reviews')
        .set({ claimed_by: to, claim_expires_at: to ? lease(leaseSeconds) : null })
        .where('id', '=', id)
        .where('status', '=', 'pending');
      if (holder) q = q.where('claimed_by', '=', holder).where('claim_expires_at', '>', sql<Date>`now()`);
      const row = await q.returning(['submission_id', 'tenant', 'queue']).executeTakeFirst();
      if (!row) return false;
      await appendAudit(trx, {
        kind: to ? 'assign' : 'release',
        ref: row.submission_id,
        body: { tenant: row.tenant, review: id, queue: row.queue, to, actor },
      });
      return true;
    });
  }
}
