import type { Kysely } from 'kysely';
import type { Verdict } from '@clipguard/contracts';
import { appendAuditEntries } from './audit.repository';
import type { Database } from '../db/schema';

/** One decision of one policy version, as stored and audited. */
export interface DecisionRecord {
  policy: { id: string; version: number; hash: string };
  modelId: string;
  verdict: Verdict;
  safetyScore: number;
  /** What the API and callbacks return. */
  body: Record<string, unknown>;
  /** What the audit log keeps. */
  audit: Record<string, unknown>;
}

/** Everything one decide job settles, written in one transaction. */
export interface DecisionOutcome {
  submissionId: string;
  tenant: string;
  live: DecisionRecord;
  shadow?: DecisionRecord;
  /** Why a moderator must see it, if they must, and where it sits in the queue. */
  review?: {
    trigger: string;
    severity: number | null;
    topCategory: string | null;
    topScore: number | null;
  };
  embedding: { contentSha256: string; modelId: string; frames: number; vectors: Buffer };
  callback?: { url: string; payload: Record<string, unknown> };
}

export interface RecordedOutcome {
  /** False when this policy version had decided the submission already (a re-delivered job). */
  inserted: boolean;
  /** The callback delivery still to send, if any. */
  pendingDeliveryId?: string;
}

/**
 * Decisions are unique per (submission, policy version), so however often a decide job runs, the
 * decision, its audit entry, its review item and its callback delivery exist once.
 */
export class DecisionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  record(o: DecisionOutcome, newDeliveryId: string): Promise<RecordedOutcome> {
    return this.recordMany([{ outcome: o, newDeliveryId }]).then(([r]) => r);
  }

  /**
   * Several decide jobs' outcomes in one transaction: a multi-row insert per table and one hold of the
   * audit chain's lock for the lot, with one entry per decision, in the order given. Each outcome is
   * settled exactly as `record` settles it alone (a re-run job's decision is not inserted again). The
   * rows go in by submission id, so two batches writing at once take their row locks in the same order.
   */
  recordMany(
    items: readonly { outcome: DecisionOutcome; newDeliveryId: string }[],
  ): Promise<RecordedOutcome[]> {
    if (items.length === 0) return Promise.resolve([]);
    const sorted = [...items].sort((a, b) => compare(a.outcome.submissionId, b.outcome.submissionId));
    return this.db.transaction().execute(async (trx) => {
      // One row per (submission, policy, version), the first one given: what sequential records would keep.
      const planned = uniqueBy(
        sorted.flatMap(({ outcome: o }) => [
          { o, d: o.live, shadow: false },
          ...(o.shadow ? [{ o, d: o.shadow, shadow: true }] : []),
        ]),
        (r) => decisionKey(r.o.submissionId, r.d.policy.id, r.d.policy.version),
      );
      const insertedRows = await trx
        .insertInto('decisions')
        .values(
          planned.map(({ o, d, shadow }) => ({
            submission_id: o.submissionId,
            policy_id: d.policy.id,
            policy_version: d.policy.version,
            policy_hash: d.policy.hash,
            model_id: d.modelId,
            shadow,
            verdict: d.verdict,
            safety_score: d.safetyScore,
            body: JSON.stringify(d.body),
          })),
        )
        .onConflict((oc) => oc.columns(['submission_id', 'policy_id', 'policy_version']).doNothing())
        .returning(['id', 'submission_id', 'policy_id', 'policy_version'])
        .execute();
      const insertedId = new Map(
        insertedRows.map((r) => [decisionKey(r.submission_id, r.policy_id, r.policy_version), r.id]),
      );
      const idOf = (o: DecisionOutcome, d: DecisionRecord) =>
        insertedId.get(decisionKey(o.submissionId, d.policy.id, d.policy.version));

      await appendAuditEntries(
        trx,
        planned
          .filter(({ o, d }) => idOf(o, d) !== undefined)
          .map(({ o, d, shadow }) => ({
            kind: shadow ? 'shadow_decision' : 'decision',
            ref: o.submissionId,
            body: { tenant: o.tenant, ...d.audit },
          })),
      );
      const reviews = sorted.flatMap(({ outcome: o }) => {
        const liveId = idOf(o, o.live);
        return liveId && o.review ? [{ o, review: o.review, liveId }] : [];
      });
      if (reviews.length > 0) {
        await trx
          .insertInto('reviews')
          .values(
            reviews.map(({ o, review, liveId }) => ({
              submission_id: o.submissionId,
              decision_id: liveId,
              tenant: o.tenant,
              trigger: review.trigger,
              // A sampled automatic decision is quality assurance, not a policy review.
              queue: review.trigger.startsWith('sample:') ? 'qa' : 'review',
              severity: review.severity,
              top_category: review.topCategory,
              top_score: review.topScore,
            })),
          )
          .execute();
      }
      await trx
        .insertInto('embeddings')
        .values(
          uniqueBy(
            sorted.map(({ outcome: o }) => o.embedding),
            (e) => `${e.contentSha256} ${e.modelId}`,
          ).map((e) => ({
            content_sha256: e.contentSha256,
            model_id: e.modelId,
            frames: e.frames,
            vectors: e.vectors,
          })),
        )
        .onConflict((oc) => oc.columns(['content_sha256', 'model_id']).doNothing())
        .execute();
      const submissionIds = [...new Set(sorted.map(({ outcome: o }) => o.submissionId))];
      await trx
        .updateTable('submissions')
        .set({ status: 'decided', updated_at: new Date() })
        .where('id', 'in', submissionIds)
        .where('status', 'in', ['queued', 'embedding', 'deciding'])
        .execute();

      const deliveries = uniqueBy(
        sorted.flatMap(({ outcome: o, newDeliveryId }) =>
          o.callback
            ? [
                {
                  id: newDeliveryId,
                  submission_id: o.submissionId,
                  tenant: o.tenant,
                  url: o.callback.url,
                  payload: JSON.stringify(o.callback.payload),
                },
              ]
            : [],
        ),
        (d) => d.submission_id,
      );
      const pending = new Map<string, string>();
      if (deliveries.length > 0) {
        await trx
          .insertInto('callback_deliveries')
          .values(deliveries)
          .onConflict((oc) => oc.columns(['submission_id', 'kind', 'ref']).doNothing())
          .execute();
        const stored = await trx
          .selectFrom('callback_deliveries')
          .select(['id', 'status', 'submission_id'])
          .where(
            'submission_id',
            'in',
            deliveries.map((d) => d.submission_id),
          )
          .where('kind', '=', 'moderation.decided')
          .execute();
        for (const d of stored) if (d.status === 'pending') pending.set(d.submission_id, d.id);
      }
      return items.map(({ outcome: o }) => {
        const inserted = idOf(o, o.live) !== undefined;
        return o.callback ? { inserted, pendingDeliveryId: pending.get(o.submissionId) } : { inserted };
      });
    });
  }

  /** The live and shadow decisions of a submission. */
  forSubmission(submissionId: string) {
    return this.db.selectFrom('decisions').selectAll().where('submission_id', '=', submissionId).execute();
  }

  /** Live decisions of these tenants, newest first (the auditor's view). */
  listForTenants(tenants: readonly string[], f: { verdict?: Verdict; before?: Date; limit: number }) {
    if (tenants.length === 0) return Promise.resolve([]);
    let q = this.db
      .selectFrom('decisions as d')
      .innerJoin('submissions as s', 's.id', 'd.submission_id')
      .select([
        'd.submission_id',
        's.tenant',
        'd.verdict',
        'd.safety_score',
        'd.policy_id',
        'd.policy_version',
        'd.model_id',
        'd.created_at',
      ])
      .where('d.shadow', '=', false)
      .where('s.tenant', 'in', tenants)
      .orderBy('d.created_at', 'desc')
      .limit(f.limit);
    if (f.verdict) q = q.where('d.verdict', '=', f.verdict);
    if (f.before) q = q.where('d.created_at', '<', f.before);
    return q.execute();
  }

  /** Live decisions by verdict (metrics). */
  async countByVerdict(): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('decisions')
      .select(['verdict', this.db.fn.countAll<string>().as('n')])
      .where('shadow', '=', false)
      .groupBy('verdict')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.verdict, Number(r.n)]));
  }
}

const decisionKey = (submissionId: string, policyId: string, version: number) =>
  `${submissionId} ${policyId} ${version}`;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The first item of each key, in order. */
function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
