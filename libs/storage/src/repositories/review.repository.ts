import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

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

  /** The human outcomes of a submission (review, appeals), oldest first. */
  outcomes(submissionId: string) {
    return this.db
      .selectFrom('reviews')
      .select(['id', 'queue', 'trigger', 'status', 'verdict', 'labels', 'resolved_at'])
      .where('submission_id', '=', submissionId)
      .orderBy('created_at')
      .execute();
  }
}
