import { sql, type Kysely } from 'kysely';
import type { AuditedDecision } from '@clipguard/audit';
import type { Database } from '../db/schema';
import { auditedFromRow } from './fairness-rows';
import { DEFAULT_PAGE, afterKey, type DecisionWindow, type PageKey } from './window';

/**
 * The decisions the fairness figures, drift and calibration read: one policy version's decisions in a time
 * window (live or shadow, whichever that version was), each with the attribute probes from its audit
 * entry and the human label of its submission's review item. Pages in (time, id) order, so a window of
 * 100,000 decisions is never one result set.
 */
export class FairnessRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Pages of audited decisions; `labelledOnly` keeps those a moderator resolved (calibration). */
  async *decisions(
    w: DecisionWindow,
    options: { labelledOnly?: boolean; pageSize?: number } = {},
  ): AsyncGenerator<AuditedDecision[]> {
    let after: PageKey | undefined;
    for (;;) {
      const rows = await this.page(w, after, options.labelledOnly ?? false, options.pageSize ?? DEFAULT_PAGE);
      if (rows.length === 0) return;
      yield rows.map(auditedFromRow);
      const last = rows[rows.length - 1];
      after = { at: last.cursor_at, id: last.id };
    }
  }

  /** When this tenant's first decision by the version was made: the start of its drift baseline. */
  async firstDecisionAt(policy: { id: string; version: number }, tenant: string): Promise<Date | undefined> {
    const row = await this.db
      .selectFrom('decisions as d')
      .innerJoin('submissions as s', 's.id', 'd.submission_id')
      .select('d.created_at')
      .where('d.policy_id', '=', policy.id)
      .where('d.policy_version', '=', policy.version)
      .where('s.tenant', '=', tenant)
      .orderBy('d.created_at')
      .limit(1)
      .executeTakeFirst();
    return row?.created_at;
  }

  private page(w: DecisionWindow, after: PageKey | undefined, labelledOnly: boolean, size: number) {
    return this.db
      .selectFrom('decisions as d')
      .innerJoin('submissions as s', 's.id', 'd.submission_id')
      .leftJoin('reviews as r', (j) =>
        j
          .onRef('r.submission_id', '=', 'd.submission_id')
          .on('r.queue', '<>', 'appeal')
          .on('r.status', 'like', 'resolved:%'),
      )
      .select([
        'd.id',
        'd.submission_id',
        'd.created_at',
        sql<string>`d.created_at::text`.as('cursor_at'),
        'd.verdict',
        sql<unknown>`d.body -> 'category_scores'`.as('category_scores'),
        sql<unknown>`d.body -> 'reasons'`.as('reasons'),
        // The decision's own audit entry: same submission, live or shadow, same policy version.
        sql<unknown>`(select a.body -> 'attributes' from audit_log a
          where a.kind = case when d.shadow then 'shadow_decision' else 'decision' end
            and a.ref = d.submission_id::text
            and a.body -> 'policy' ->> 'id' = d.policy_id
            and (a.body -> 'policy' ->> 'version')::int = d.policy_version
          order by a.seq limit 1)`.as('attributes'),
        'r.status as review_status',
        'r.queue as review_queue',
        'r.trigger as review_trigger',
        'r.verdict as human_verdict',
        'r.labels',
      ])
      .where('d.policy_id', '=', w.policy.id)
      .where('d.policy_version', '=', w.policy.version)
      .$if(w.since !== undefined, (q) => q.where('d.created_at', '>=', w.since as Date))
      .$if(w.until !== undefined, (q) => q.where('d.created_at', '<', w.until as Date))
      .$if(w.tenant !== undefined, (q) => q.where('s.tenant', '=', w.tenant as string))
      .$if(labelledOnly, (q) => q.where('r.id', 'is not', null))
      .$if(after !== undefined, (q) => q.where(afterKey(after as PageKey)))
      .orderBy('d.created_at')
      .orderBy('d.id')
      .limit(size)
      .execute();
  }
}
