import { sql, type Kysely } from 'kysely';
import { decodeFloats, type QueueKind } from '@clipguard/contracts';
import type { Database } from '../db/schema';

/** The first frame of a stored embeddings row (frames × dim float32). */
function firstFrame(row: { frames: number; vectors: Buffer }): Float32Array {
  const all = decodeFloats(row.vectors);
  return all.slice(0, all.length / row.frames);
}

/** A submission a human decided, with its image's first-frame embedding: a candidate similar case. */
export interface HumanCase {
  itemId: string;
  submissionId: string;
  verdict: 'allow' | 'block';
  labels: string[];
  resolvedAt: Date;
  resolvedBy: string | null;
  embedding: Float32Array;
}

/** The items humans decided in a tenant, read for "similar past cases" (ranked in libs/banks). */
export class SimilarCasesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * The newest `limit` human decisions of the tenant whose images have an embedding of this model, one
   * per submission (its non-appeal review), excluding `exceptSubmission`, in `queues` if given.
   */
  async humanDecided(
    tenant: string,
    modelId: string,
    limit: number,
    exceptSubmission?: string,
    queues?: readonly QueueKind[],
  ): Promise<HumanCase[]> {
    if (queues && queues.length === 0) return [];
    let q = this.db
      .selectFrom('reviews as r')
      .innerJoin('submissions as s', 's.id', 'r.submission_id')
      .innerJoin('embeddings as e', (j) =>
        j.onRef('e.content_sha256', '=', 's.content_sha256').on('e.model_id', '=', modelId),
      )
      .leftJoin('users as u', 'u.id', 'r.resolved_by')
      .select([
        'r.id',
        'r.submission_id',
        'r.verdict',
        'r.labels',
        'r.resolved_at',
        sql<string | null>`coalesce(u.display_name, r.resolved_by_name)`.as('resolved_by'),
        'e.frames',
        'e.vectors',
      ])
      .where('r.tenant', '=', tenant)
      .where('r.queue', '<>', 'appeal')
      .where('r.verdict', 'in', ['allow', 'block'])
      .where('r.resolved_at', 'is not', null)
      .orderBy('r.resolved_at', 'desc')
      .limit(limit);
    if (exceptSubmission) q = q.where('r.submission_id', '<>', exceptSubmission);
    if (queues) q = q.where('r.queue', 'in', queues);
    const rows = await q.execute();
    return rows.map((r) => ({
      itemId: r.id,
      submissionId: r.submission_id,
      verdict: r.verdict as 'allow' | 'block',
      labels: r.labels ?? [],
      resolvedAt: r.resolved_at as Date,
      resolvedBy: r.resolved_by,
      embedding: firstFrame(r),
    }));
  }

  /** The first-frame embedding of a submission's image under this model, if it was stored. */
  async embeddingOf(submissionId: string, modelId: string): Promise<Float32Array | undefined> {
    const row = await this.db
      .selectFrom('submissions as s')
      .innerJoin('embeddings as e', 'e.content_sha256', 's.content_sha256')
      .select(['e.frames', 'e.vectors'])
      .where('s.id', '=', submissionId)
      .where('e.model_id', '=', modelId)
      .executeTakeFirst();
    return row && firstFrame(row);
  }
}
