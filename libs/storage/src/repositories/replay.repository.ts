import { sql, type Kysely } from 'kysely';
import type { StoredSubmission } from '@clipguard/audit';
import { verdictSchema } from '@clipguard/contracts';
import type { Database } from '../db/schema';
import { humanLabel, parseBanks, parseReasons } from './fairness-rows';
import { DEFAULT_PAGE, afterKey, type DecisionWindow, type PageKey } from './window';

/** Which stored submissions a replay re-decides: a policy's live decisions, whatever version made them. */
export interface ReplayWindow extends Omit<DecisionWindow, 'policy'> {
  policyId: string;
  /** Only submissions this version decided (what a change to it would have done). */
  policyVersion?: number;
  /** Only embeddings of this model can be scored against prompts encoded by it. */
  modelId: string;
}

export interface ReplayCoverage {
  /** Live decisions of the policy in the window. */
  decisions: number;
  /** Of those, decided with another model: their embeddings cannot be scored with this one's prompts. */
  otherModel: number;
  /** Of those, whose image embedding is not stored. */
  withoutEmbedding: number;
}

/**
 * Stored image embeddings with their submissions, for re-deciding past traffic with another policy
 * version: each live decision of the policy in the window, its embedding (by content and the model that
 * made the decision), and the human label of its review item. Pages in (time, id) order.
 */
export class ReplayRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async *submissions(w: ReplayWindow, pageSize = DEFAULT_PAGE): AsyncGenerator<StoredSubmission[]> {
    let after: PageKey | undefined;
    for (;;) {
      const rows = await this.page(w, after, pageSize);
      if (rows.length === 0) return;
      yield rows.map((r) => {
        const label = humanLabel(r, parseReasons(r.reasons));
        return {
          submissionId: r.submission_id,
          decidedAt: r.created_at,
          // A copy with its own buffer: pg hands out small byteas as views into a shared pool.
          vectors: new Uint8Array(r.vectors),
          frames: r.frames,
          previousVerdict: verdictSchema.parse(r.verdict),
          ...(label ? { label } : {}),
          ...parseBanks(r.banks),
        };
      });
      const last = rows[rows.length - 1];
      after = { at: last.cursor_at, id: last.id };
    }
  }

  /** How many of the window's decisions a replay with this model can and cannot re-decide. */
  async coverage(w: ReplayWindow): Promise<ReplayCoverage> {
    const row = await this.db
      .selectFrom('decisions as d')
      .innerJoin('submissions as s', 's.id', 'd.submission_id')
      .leftJoin('embeddings as e', (j) =>
        j.onRef('e.content_sha256', '=', 's.content_sha256').onRef('e.model_id', '=', 'd.model_id'),
      )
      .select([
        sql<string>`count(*)`.as('decisions'),
        sql<string>`count(*) filter (where d.model_id <> ${w.modelId})`.as('other_model'),
        sql<string>`count(*) filter (where e.model_id is null)`.as('without_embedding'),
      ])
      .where('d.policy_id', '=', w.policyId)
      .where('d.shadow', '=', false)
      .$if(w.policyVersion !== undefined, (q) => q.where('d.policy_version', '=', w.policyVersion as number))
      .$if(w.since !== undefined, (q) => q.where('d.created_at', '>=', w.since as Date))
      .$if(w.until !== undefined, (q) => q.where('d.created_at', '<', w.until as Date))
      .$if(w.tenant !== undefined, (q) => q.where('s.tenant', '=', w.tenant as string))
      .executeTakeFirstOrThrow();
    return {
      decisions: Number(row.decisions),
      otherModel: Number(row.other_model),
      withoutEmbedding: Number(row.without_embedding),
    };
  }

  private page(w: ReplayWindow, after: PageKey | undefined, size: number) {
    return this.db
      .selectFrom('decisions as d')
      .innerJoin('submissions as s', 's.id', 'd.submission_id')
      .innerJoin('embeddings as e', (j) =>
        j.onRef('e.content_sha256', '=', 's.content_sha256').onRef('e.model_id', '=', 'd.model_id'),
      )
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
        sql<unknown>`d.body -> 'reasons'`.as('reasons'),
        sql<unknown>`d.body -> 'banks'`.as('banks'),
        'e.frames',
        'e.vectors',
        'r.status as review_status',
        'r.queue as review_queue',
        'r.trigger as review_trigger',
        'r.verdict as human_verdict',
        'r.labels',
      ])
      .where('d.policy_id', '=', w.policyId)
      .where('d.shadow', '=', false)
      .where('d.model_id', '=', w.modelId)
      .$if(w.policyVersion !== undefined, (q) => q.where('d.policy_version', '=', w.policyVersion as number))
      .$if(w.since !== undefined, (q) => q.where('d.created_at', '>=', w.since as Date))
      .$if(w.until !== undefined, (q) => q.where('d.created_at', '<', w.until as Date))
      .$if(w.tenant !== undefined, (q) => q.where('s.tenant', '=', w.tenant as string))
      .$if(after !== undefined, (q) => q.where(afterKey(after as PageKey)))
      .orderBy('d.created_at')
      .orderBy('d.id')
      .limit(size)
      .execute();
  }
}
