import type { Kysely } from 'kysely';
import { appendAudit } from './audit.repository';
import type { Database } from '../db/schema';

export interface Resolution {
  verdict: 'allow' | 'block';
  moderator: string;
  note?: string;
}

/** The human review queue. */
export class ReviewRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Pending items of a tenant, oldest first. */
  pending(tenant: string, limit: number) {
    return this.db
      .selectFrom('reviews as r')
      .innerJoin('decisions as d', 'd.id', 'r.decision_id')
      .select(['r.id', 'r.submission_id', 'r.trigger', 'r.created_at', 'd.verdict', 'd.body'])
      .where('r.tenant', '=', tenant)
      .where('r.status', '=', 'pending')
      .orderBy('r.created_at')
      .limit(limit)
      .execute();
  }

  /** Resolves a pending item of this tenant, audited in the same transaction; undefined if not pending. */
  resolve(id: string, tenant: string, r: Resolution): Promise<{ id: string; status: string } | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const status = `resolved:${r.verdict}`;
      const review = await trx
        .updateTable('reviews')
        .set({ status })
        .where('id', '=', id)
        .where('tenant', '=', tenant)
        .where('status', '=', 'pending')
        .returning(['id', 'submission_id'])
        .executeTakeFirst();
      if (!review) return undefined;
      await appendAudit(trx, {
        kind: 'review',
        ref: review.submission_id,
        body: { tenant, review: review.id, ...r },
      });
      return { id: review.id, status };
    });
  }
}
