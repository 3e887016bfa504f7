import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Verdict } from '@clipguard/contracts';
import {
  DecisionRepository,
  ReviewActionsRepository,
  SubmissionRepository,
  type Database,
  type DecisionRecord,
} from '@clipguard/storage';

export interface SeedVersion {
  policy: { id: string; version: number; hash: string };
  verdict: Verdict;
  scores?: Record<string, number>;
  reasons?: { category: string; verdict: Verdict }[];
  attributes?: Record<string, { value: string; confidence: number; margin?: number }>;
}

export interface SeedDecision extends SeedVersion {
  /** When it was decided (ISO; microseconds are kept). */
  at: string;
  tenant?: string;
  modelId?: string;
  shadow?: SeedVersion;
  /** The review item; resolved with these labels, or without any as before the console stored them. */
  review?: { trigger: string; resolve?: 'allow' | 'block'; labels?: string[] };
  /** The image embedding stored with it (one vector per frame); a 2-d placeholder if absent. */
  frames?: Float32Array[];
  /** The content hash the embedding is stored under (defaults to one of the vectors' bytes). */
  contentSha256?: string;
}

/** A decision as the decision service stores it: its API body and its audit entry (see DecisionService). */
function record(v: SeedVersion, modelId: string, contentSha256: string): DecisionRecord {
  const reasons = (v.reasons ?? []).map((r) => ({ ...r, threshold: 'review', thresholdValue: 0.5 }));
  return {
    policy: v.policy,
    modelId,
    verdict: v.verdict,
    safetyScore: 0.5,
    body: { verdict: v.verdict, category_scores: v.scores ?? {}, reasons, policy: v.policy },
    audit: {
      verdict: v.verdict,
      policy: v.policy,
      model_id: modelId,
      content_sha256: contentSha256,
      category_scores: v.scores ?? {},
      thresholds: reasons.map((r) => ({ category: r.category, threshold: r.threshold, value: 0.5 })),
      attributes: v.attributes ?? {},
    },
  };
}

/**
 * Stores one decided submission through the same repositories the services write with: submission,
 * live (and shadow) decision with audit entries, review item, embedding; then dates it and resolves its
 * review (with the moderator's labels, or with none as reviews resolved before labels were stored).
 * Returns the submission id.
 */
export async function seedDecision(db: Kysely<Database>, s: SeedDecision): Promise<string> {
  const id = randomUUID();
  const tenant = s.tenant ?? 'acme';
  const modelId = s.modelId ?? 'tiny-clip/fp32@test';
  const frames = s.frames ?? [Float32Array.from([1, 0])];
  const vectors = Buffer.concat(frames.map((f) => Buffer.from(f.buffer, f.byteOffset, f.byteLength)));
  const sha = s.contentSha256 ?? createHash('sha256').update(vectors).update(id).digest('hex');
  await new SubmissionRepository(db).insert(
    { tenant, eventId: id, contentUrl: null, blobKey: sha, metadata: {}, priority: 'normal' },
    id,
  );
  await new DecisionRepository(db).record(
    {
      submissionId: id,
      tenant,
      live: record(s, modelId, sha),
      shadow: s.shadow && record(s.shadow, modelId, sha),
      review: s.review && { trigger: s.review.trigger, severity: null, topCategory: null, topScore: null },
      embedding: { contentSha256: sha, modelId, frames: frames.length, vectors },
    },
    randomUUID(),
  );
  await db.updateTable('decisions').set({ created_at: s.at }).where('submission_id', '=', id).execute();
  const resolve = s.review?.resolve;
  if (resolve) {
    const review = await db
      .selectFrom('reviews')
      .select('id')
      .where('submission_id', '=', id)
      .executeTakeFirstOrThrow();
    await new ReviewActionsRepository(db).resolve({
      id: review.id,
      tenants: [tenant],
      actor: { userId: null, name: 'seed' },
      holder: null,
      verdict: resolve,
      labels: s.review?.labels ?? [],
    });
    if (!s.review?.labels)
      await db.updateTable('reviews').set({ labels: null }).where('id', '=', review.id).execute();
  }
  return id;
}
