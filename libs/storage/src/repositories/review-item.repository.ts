import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** One review item with everything a moderator sees: its decision, its submission, who holds it. */
export class ReviewItemRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The item if it belongs to one of `tenants`; undefined otherwise (another tenant's item is "not found"). */
  find(id: string, tenants: readonly string[]) {
    if (tenants.length === 0) return Promise.resolve(undefined);
    return this.db
      .selectFrom('reviews as r')
      .innerJoin('decisions as d', 'd.id', 'r.decision_id')
      .innerJoin('submissions as s', 's.id', 'r.submission_id')
      .leftJoin('users as c', 'c.id', 'r.claimed_by')
      .leftJoin('reviews as o', 'o.id', 'r.appeal_of')
      .leftJoin('users as ob', 'ob.id', 'o.resolved_by')
      .leftJoin('users as rb', 'rb.id', 'r.resolved_by')
      .selectAll('r')
      .select([
        'd.verdict as decision_verdict',
        'd.body as decision_body',
        's.metadata',
        's.blob_key',
        's.event_id',
        'c.display_name as claimer_name',
        'o.verdict as appealed_verdict',
        'o.labels as appealed_labels',
        sql<string | null>`coalesce(ob.display_name, o.resolved_by_name)`.as('appealed_resolved_by'),
        sql<string | null>`coalesce(rb.display_name, r.resolved_by_name)`.as('resolver_name'),
        sql<boolean>`r.claim_expires_at > now()`.as('claim_live'),
      ])
      .where('r.id', '=', id)
      .where('r.tenant', 'in', tenants)
      .executeTakeFirst();
  }

  /** The audit entries about a submission, oldest first: its history. */
  history(submissionId: string, limit = 200) {
    return this.db
      .selectFrom('audit_log')
      .select(['seq', 'kind', 'body', 'created_at'])
      .where('ref', '=', submissionId)
      .orderBy('seq')
      .limit(limit)
      .execute();
  }
}
