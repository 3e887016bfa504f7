import type { Kysely, Transaction } from 'kysely';
import type { Verdict } from '@clipguard/contracts';
import { appendAudit } from './audit.repository';
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
    return this.db.transaction().execute(async (trx) => {
      const liveId = await insertDecision(trx, o.submissionId, o.tenant, o.live, false);
      if (liveId && o.review) {
        await trx
          .insertInto('reviews')
          .values({
            submission_id: o.submissionId,
            decision_id: liveId,
            tenant: o.tenant,
            trigger: o.review.trigger,
            // A sampled automatic decision is quality assurance, not a policy review.
            queue: o.review.trigger.startsWith('sample:') ? 'qa' : 'review',
            severity: o.review.severity,
            top_category: o.review.topCategory,
            top_score: o.review.topScore,
          })
          .execute();
      }
      if (o.shadow) await insertDecision(trx, o.submissionId, o.tenant, o.shadow, true);
      await trx
        .insertInto('embeddings')
        .values({
          content_sha256: o.embedding.contentSha256,
          model_id: o.embedding.modelId,
          frames: o.embedding.frames,
          vectors: o.embedding.vectors,
        })
        .onConflict((oc) => oc.columns(['content_sha256', 'model_id']).doNothing())
        .execute();
      await trx
        .updateTable('submissions')
        .set({ status: 'decided', updated_at: new Date() })
        .where('id', '=', o.submissionId)
        .where('status', 'in', ['queued', 'embedding', 'deciding'])
        .execute();
      if (!o.callback) return { inserted: liveId !== undefined };
      await trx
        .insertInto('callback_deliveries')
        .values({
          id: newDeliveryId,
          submission_id: o.submissionId,
          tenant: o.tenant,
          url: o.callback.url,
          payload: JSON.stringify(o.callback.payload),
        })
        .onConflict((oc) => oc.columns(['submission_id', 'kind', 'ref']).doNothing())
        .execute();
      const delivery = await trx
        .selectFrom('callback_deliveries')
        .select(['id', 'status'])
        .where('submission_id', '=', o.submissionId)
        .where('kind', '=', 'moderation.decided')
        .executeTakeFirstOrThrow();
      return {
        inserted: liveId !== undefined,
        pendingDeliveryId: delivery.status === 'pending' ? delivery.id : undefined,
      };
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

/** The one insert path for live and shadow decisions; returns the new row's id, or undefined if it existed. */
async function insertDecision(
  trx: Transaction<Database>,
  submissionId: string,
  tenant: string,
  d: DecisionRecord,
  shadow: boolean,
): Promise<string | undefined> {
  const row = await trx
    .insertInto('decisions')
    .values({
      submission_id: submissionId,
      policy_id: d.policy.id,
      policy_version: d.policy.version,
      policy_hash: d.policy.hash,
      model_id: d.modelId,
      shadow,
      verdict: d.verdict,
      safety_score: d.safetyScore,
      body: JSON.stringify(d.body),
    })
    .onConflict((oc) => oc.columns(['submission_id', 'policy_id', 'policy_version']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (row) {
    await appendAudit(trx, {
      kind: shadow ? 'shadow_decision' : 'decision',
      ref: submissionId,
      body: { tenant, ...d.audit },
    });
  }
  return row?.id;
}
