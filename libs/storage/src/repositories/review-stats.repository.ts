import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

const since = (days: number) => sql<Date>`now() - ${`${days} days`}::interval`;

/** What leads watch: throughput, time to decision, QA agreement, appeal outcomes. */
export class ReviewStatsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  perModeratorPerDay(tenants: readonly string[], days: number) {
    return this.db
      .selectFrom('reviews as r')
      .leftJoin('users as u', 'u.id', 'r.resolved_by')
      .select([
        sql<string>`coalesce(u.display_name, r.resolved_by_name, 'unknown')`.as('user'),
        sql<string>`to_char(date_trunc('day', r.resolved_at), 'YYYY-MM-DD')`.as('day'),
        sql<string>`count(*)`.as('resolved'),
      ])
      .where('r.tenant', 'in', tenants)
      .where('r.resolved_at', '>=', since(days))
      .groupBy([sql`1`, sql`2`])
      .orderBy(sql`2`, 'desc')
      .orderBy(sql`1`)
      .execute();
  }

  async timeToDecision(tenants: readonly string[], days: number) {
    return this.db
      .selectFrom('reviews')
      .select([
        sql<
          number | null
        >`percentile_cont(0.5) within group (order by extract(epoch from resolved_at - created_at))`.as(
          'p50',
        ),
        sql<
          number | null
        >`percentile_cont(0.9) within group (order by extract(epoch from resolved_at - created_at))`.as(
          'p90',
        ),
        sql<
          number | null
        >`percentile_cont(0.99) within group (order by extract(epoch from resolved_at - created_at))`.as(
          'p99',
        ),
      ])
      .where('tenant', 'in', tenants)
      .where('resolved_at', '>=', since(days))
      .executeTakeFirstOrThrow();
  }

  qaAgreement(tenants: readonly string[], days: number) {
    return this.db
      .selectFrom('reviews')
      .select([
        sql<string>`coalesce(top_category, '(none)')`.as('category'),
        sql<string>`count(*)`.as('items'),
        sql<number | null>`avg(case when qa_agreement then 1.0 else 0.0 end)`.as('agreement'),
      ])
      .where('tenant', 'in', tenants)
      .where('queue', '=', 'qa')
      .where('qa_agreement', 'is not', null)
      .where('resolved_at', '>=', since(days))
      .groupBy(sql`1`)
      .orderBy(sql`1`)
      .execute();
  }

  async appeals(tenants: readonly string[], days: number) {
    return this.db
      .selectFrom('reviews')
      .select([
        sql<string>`count(*)`.as('decided'),
        sql<string>`count(*) filter (where verdict = 'allow')`.as('overturned'),
      ])
      .where('tenant', 'in', tenants)
      .where('queue', '=', 'appeal')
      .where('resolved_at', '>=', since(days))
      .executeTakeFirstOrThrow();
  }
}
