import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, CallbackKind } from '../db/schema';
import { appendAudit } from './audit.repository';
import type { Actor } from './user.repository';

/** A callback to record with an action, in its transaction. */
export interface ActionCallback {
  url: string;
  payload: (row: { reviewId: string; submissionId: string; resolvedAt: Date }) => Record<string, unknown>;
}

export interface ResolveArgs {
  id: string;
  tenants: readonly string[];
  actor: Actor;
  /** Who must hold the claim (a moderator); null when the actor may act on any item (a lead, the API). */
  holder: string | null;
  verdict: 'allow' | 'block';
  labels: string[];
  note?: string;
  callback?: ActionCallback;
}

export interface Resolved {
  submissionId: string;
  deliveryId?: string;
}

export type AppealOpened = { appealId: string } | { refused: 'not_found' | 'not_blocked' | 'open' };
export type AppealDecided = Resolved | { refused: 'not_found' | 'own_review' };

const resolvedAt = () => new Date();

async function insertDelivery(
  trx: Transaction<Database>,
  kind: CallbackKind,
  row: { submissionId: string; tenant: string; reviewId: string; resolvedAt: Date },
  callback: ActionCallback | undefined,
): Promise<string | undefined> {
  if (!callback) return undefined;
  const id = randomUUID();
  await trx
    .insertInto('callback_deliveries')
    .values({
      id,
      submission_id: row.submissionId,
      tenant: row.tenant,
      kind,
      ref: row.reviewId,
      url: callback.url,
      payload: JSON.stringify(callback.payload(row)),
    })
    .execute();
  return id;
}

/** What humans do to review items: resolve, escalate, appeal; each audited, each with its callback. */
export class ReviewActionsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Resolves a pending item; undefined if it is not pending, not the actor's tenant's, or not held by `holder`. */
  resolve(a: ResolveArgs): Promise<Resolved | undefined> {
    if (a.tenants.length === 0) return Promise.resolve(undefined);
    return this.db.transaction().execute(async (trx) => {
      const at = resolvedAt();
      let q = trx
        .updateTable('reviews')
        .from('decisions')
        .whereRef('decisions.id', '=', 'reviews.decision_id')
        .set({
          status: `resolved:${a.verdict}`,
          verdict: a.verdict,
          labels: JSON.stringify(a.labels),
          note: a.note ?? null,
          resolved_by: a.actor.userId,
          resolved_by_name: a.actor.name,
          resolved_at: at,
          qa_agreement: sql<
            boolean | null
          >`case when reviews.queue = 'qa' then decisions.verdict = ${a.verdict} end`,
          claimed_by: null,
          claim_expires_at: null,
        })
        .where('reviews.id', '=', a.id)
        .where('reviews.status', '=', 'pending')
        .where('reviews.queue', '<>', 'appeal')
        .where('reviews.tenant', 'in', a.tenants);
      if (a.holder)
        q = q
          .where('reviews.claimed_by', '=', a.holder)
          .where('reviews.claim_expires_at', '>', sql<Date>`now()`);
      const row = await q
        .returning(['reviews.submission_id', 'reviews.tenant', 'reviews.queue', 'reviews.qa_agreement'])
        .executeTakeFirst();
      if (!row) return undefined;
      await appendAudit(trx, {
        kind: 'review',
        ref: row.submission_id,
        body: {
          tenant: row.tenant,
          review: a.id,
          queue: row.queue,
          verdict: a.verdict,
          labels: a.labels,
          ...(a.note !== undefined && { note: a.note }),
          ...(row.qa_agreement !== null && { qa_agreement: row.qa_agreement }),
          actor: a.actor,
          moderator: a.actor.name,
        },
      });
      const deliveryId = await insertDelivery(
        trx,
        'moderation.reviewed',
        { submissionId: row.submission_id, tenant: row.tenant, reviewId: a.id, resolvedAt: at },
        a.callback,
      );
      return { submissionId: row.submission_id, deliveryId };
    });
  }

  /** Moves a pending review or QA item to the escalated queue with a reason, back for anyone (a lead) to take. */
  escalate(
    id: string,
    tenants: readonly string[],
    actor: Actor,
    holder: string | null,
    reason: string,
  ): Promise<boolean> {
    if (tenants.length === 0) return Promise.resolve(false);
    return this.db.transaction().execute(async (trx) => {
      let q = trx
        .updateTable('reviews')
        .set({ queue: 'escalated', reason, claimed_by: null, claim_expires_at: null })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where('queue', 'in', ['review', 'qa'])
        .where('tenant', 'in', tenants);
      if (holder) q = q.where('claimed_by', '=', holder).where('claim_expires_at', '>', sql<Date>`now()`);
      const row = await q.returning(['submission_id', 'tenant']).executeTakeFirst();
      if (!row) return false;
      await appendAudit(trx, {
        kind: 'escalate',
        ref: row.submission_id,
        body: { tenant: row.tenant, review: id, reason, actor },
      });
      return true;
    });
  }

  /** Opens an appeal of a submission whose outcome is a block (the latest human verdict, else the automatic one). */
  openAppeal(
    submissionId: string,
    tenant: string,
    statement: string,
    platformUserId?: string,
  ): Promise<AppealOpened> {
    return this.db.transaction().execute(async (trx): Promise<AppealOpened> => {
      const decision = await trx
        .selectFrom('decisions')
        .select(['id', 'verdict'])
        .where('submission_id', '=', submissionId)
        .where('shadow', '=', false)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('submissions')
              .select('id')
              .where('id', '=', submissionId)
              .where('tenant', '=', tenant),
          ),
        )
        .executeTakeFirst();
      if (!decision) return { refused: 'not_found' };
      const items = await trx
        .selectFrom('reviews')
        .select(['id', 'queue', 'verdict', 'status', 'severity', 'top_category', 'top_score', 'resolved_at'])
        .where('submission_id', '=', submissionId)
        .execute();
      if (items.some((i) => i.queue === 'appeal' && i.status === 'pending')) return { refused: 'open' };
      const resolved = items
        .filter((i) => i.resolved_at !== null)
        .sort((x, y) => +(y.resolved_at ?? 0) - +(x.resolved_at ?? 0));
      const finalVerdict = resolved[0]?.verdict ?? decision.verdict;
      if (finalVerdict !== 'block') return { refused: 'not_blocked' };
      const reviewed = items.find((i) => i.queue !== 'appeal');
      const { id } = await trx
        .insertInto('reviews')
        .values({
          submission_id: submissionId,
          decision_id: decision.id,
          tenant,
          trigger: 'appeal',
          queue: 'appeal',
          reason: statement,
          appeal_of: reviewed?.id ?? null,
          severity: reviewed?.severity ?? null,
          top_category: reviewed?.top_category ?? null,
          top_score: reviewed?.top_score ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await appendAudit(trx, {
        kind: 'appeal',
        ref: submissionId,
        body: { tenant, appeal: id, statement, ...(platformUserId && { user_id: platformUserId }) },
      });
      return { appealId: id };
    });
  }

  /** Decides a pending appeal; refused when the actor made the review decision it appeals. */
  decideAppeal(
    id: string,
    tenants: readonly string[],
    actor: Actor & { userId: string },
    decision: 'uphold' | 'overturn',
    note: string | undefined,
    callback: ActionCallback | undefined,
  ): Promise<AppealDecided> {
    if (tenants.length === 0) return Promise.resolve({ refused: 'not_found' });
    return this.db.transaction().execute(async (trx): Promise<AppealDecided> => {
      const appeal = await trx
        .selectFrom('reviews as a')
        .leftJoin('reviews as o', 'o.id', 'a.appeal_of')
        .select(['a.submission_id', 'a.tenant', 'o.resolved_by as original_reviewer'])
        .where('a.id', '=', id)
        .where('a.queue', '=', 'appeal')
        .where('a.status', '=', 'pending')
        .where('a.tenant', 'in', tenants)
        // Only the appeal's row: FOR UPDATE cannot lock the nullable side of the outer join.
        .forUpdate('a')
        .executeTakeFirst();
      if (!appeal) return { refused: 'not_found' };
      if (appeal.original_reviewer === actor.userId) return { refused: 'own_review' };
      const verdict = decision === 'overturn' ? 'allow' : 'block';
      const at = resolvedAt();
      await trx
        .updateTable('reviews')
        .set({
          status: `resolved:${verdict}`,
          verdict,
          note: note ?? null,
          resolved_by: actor.userId,
          resolved_by_name: actor.name,
          resolved_at: at,
          claimed_by: null,
          claim_expires_at: null,
        })
        .where('id', '=', id)
        .execute();
      await appendAudit(trx, {
        kind: 'appeal_decision',
        ref: appeal.submission_id,
        body: {
          tenant: appeal.tenant,
          appeal: id,
          decision,
          verdict,
          ...(note !== undefined && { note }),
          actor,
        },
      });
      const deliveryId = await insertDelivery(
        trx,
        'moderation.appeal_resolved',
        { submissionId: appeal.submission_id, tenant: appeal.tenant, reviewId: id, resolvedAt: at },
        callback,
      );
      return { submissionId: appeal.submission_id, deliveryId };
    });
  }
}
