import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { applyBanks } from '@clipguard/banks';
import { tenantConfig, type AppEnv, type TenantsFile } from '@clipguard/config';
import type { DecideJob } from '@clipguard/contracts';
import { decide, reviewPriority, reviewTrigger, type Decision } from '@clipguard/decision';
import { BLOBS, ENV, LOGGER, TENANTS } from '@clipguard/infra';
import { scoreFrames } from '@clipguard/policy';
import { JobProducer } from '@clipguard/queue';
import {
  DecisionRepository,
  SubmissionRepository,
  type BlobStore,
  type DecisionOutcome,
  type DecisionRecord,
  type RecordedOutcome,
  type Submission,
} from '@clipguard/storage';
import { BatchQueue, type Settled } from './batch-queue';
import { decisionJson } from './decision-json';
import { DecisionMetrics } from './decision.metrics';
import type { PolicyPlans } from './policy-plan';
import { POLICIES } from './tokens';

type Similarities = DecideJob['live'];
type DecideItem = { job: DecideJob; jobRef: string };
type Planned = {
  index: number;
  item: DecideItem;
  sub: Submission;
  live: Decision;
  review: string | undefined;
  outcome: DecisionOutcome;
};

/**
 * similarities → decision, stored idempotently (one per submission and policy version however often the
 * job runs), with its audit entry, review item and callback delivery in the same transaction.
 */
@Injectable()
export class DecisionService {
  private readonly batches: BatchQueue<DecideItem>;

  constructor(
    private readonly submissions: SubmissionRepository,
    private readonly decisions: DecisionRepository,
    private readonly producer: JobProducer,
    private readonly metrics: DecisionMetrics,
    @Inject(POLICIES) private readonly policies: PolicyPlans,
    @Inject(TENANTS) private readonly tenants: TenantsFile,
    @Inject(BLOBS) private readonly blobs: BlobStore,
    @Inject(ENV) private readonly env: AppEnv,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.batches = new BatchQueue((items) => this.decideBatch(items), {
      maxBatch: env.CLIPGUARD_DECIDE_BATCH_MAX,
      maxWaitMs: env.CLIPGUARD_DECIDE_BATCH_WAIT_MS,
    });
  }

  /** Scores → decision for one policy version, refusing a version that differs from what the worker scored. */
  apply(job: DecideJob, s: Similarities): Decision {
    const plan = this.policies.get(s.policyId, s.version);
    // Not loaded here yet (a new file the worker saw first): transient, retried.
    if (!plan) throw new Error(`policy ${s.policyId} v${s.version} is not loaded here yet`);
    if (plan.hash !== s.hash)
      throw new UnrecoverableError(
        `policy ${s.policyId} v${s.version} differs from the one the worker scored (hash ${s.hash.slice(0, 12)})`,
      );
    const scores = scoreFrames(plan.policy, plan.prompts, s.similarities, job.logitScale);
    return decide({ policy: plan.policy, hash: plan.hash, modelId: job.modelId }, scores);
  }

  /** Decides one job; jobs that arrive together are stored together (see `decideBatch`). */
  decide(job: DecideJob, jobRef: string): Promise<void> {
    return this.batches.submit({ job, jobRef });
  }

  /**
   * Decide jobs taken within a few milliseconds of each other: their submissions read in one query, their
   * outcomes written in one transaction (one audit-chain append, one entry per decision), their callbacks
   * enqueued in one round trip. A job that cannot be decided (unknown submission, policy not loaded) fails
   * alone, and if the batch's transaction fails each outcome is written alone, so that one bad row cannot
   * hold back the others.
   */
  async decideBatch(items: readonly DecideItem[]): Promise<Settled[]> {
    const started = performance.now();
    this.metrics.decideBatch.observe(items.length);
    const found = await this.submissions.findMany(items.map((i) => i.job.submissionId));
    const subs = new Map(found.map((s) => [s.id, s]));
    const results: Settled[] = items.map(() => ({ ok: true }));
    const planned: Planned[] = [];
    items.forEach((item, index) => {
      try {
        const plan = this.plan(item.job, subs.get(item.job.submissionId), started);
        if (plan) planned.push({ ...plan, index, item });
      } catch (error) {
        results[index] = { ok: false, error };
      }
    });
    const recorded = await this.record(planned, results);
    const callbacks: { deliveryId: string; index: number }[] = [];
    for (const [k, p] of planned.entries()) {
      const r = recorded[k];
      if (!r) continue;
      try {
        // The image must outlive the blob TTL while a moderator may still need to see it.
        if (p.review && p.sub.blob_key) await this.blobs.retain(p.sub.blob_key);
      } catch (error) {
        results[p.index] = { ok: false, error };
        continue;
      }
      if (r.pendingDeliveryId) callbacks.push({ deliveryId: r.pendingDeliveryId, index: p.index });
    }
    if (callbacks.length > 0)
      try {
        await this.producer.enqueueMany(
          'callback',
          callbacks.map((c) => ({ v: 1 as const, deliveryId: c.deliveryId })),
        );
      } catch (error) {
        for (const c of callbacks) results[c.index] = { ok: false, error };
      }
    for (const [k, p] of planned.entries()) {
      const r = recorded[k];
      if (r && results[p.index].ok) this.observe(p, r.inserted);
    }
    return results;
  }

  /** What one job settles, or undefined when there is nothing to decide (the submission failed). */
  private plan(job: DecideJob, sub: Submission | undefined, started: number) {
    if (!sub) throw new UnrecoverableError(`no submission ${job.submissionId}`);
    if (sub.status === 'failed') return undefined;
    const tenant = tenantConfig(this.tenants, sub.tenant);
    // A bank match (made by the worker) decides over the policy's verdict; the reasons name it first.
    const banked = applyBanks(this.apply(job, job.live), job.banks);
    const live = banked.decision;
    const shadow = job.shadow ? this.apply(job, job.shadow) : undefined;
    const timings = { ...job.timings, decide_ms: performance.now() - started };
    const body = {
      ...decisionJson(job.submissionId, live, shadow, timings),
      ...(banked.reason && { reasons: [banked.reason, ...live.reasons] }),
      ...(banked.banks && { banks: banked.banks }),
    };
    const liveRecord = record(live, body, job);
    if (banked.banks) liveRecord.audit.banks = { ...banked.banks, winner: banked.reason ?? null };
    const review = reviewTrigger(live, {
      bands: tenant?.review_bands ?? {},
      sampleRate: this.env.CLIPGUARD_REVIEW_SAMPLE_RATE,
    });
    const livePolicy = this.policies.get(job.live.policyId, job.live.version)?.policy;
    const outcome: DecisionOutcome = {
      submissionId: job.submissionId,
      tenant: sub.tenant,
      live: liveRecord,
      shadow: shadow && record(shadow, decisionJson(job.submissionId, shadow, undefined, timings), job),
      review: review ? { trigger: review, ...reviewPriority(live, livePolicy) } : undefined,
      embedding: {
        contentSha256: job.contentSha256,
        modelId: job.modelId,
        frames: job.embeddings.length,
        vectors: Buffer.concat(job.embeddings.map((e) => Buffer.from(e, 'base64'))),
      },
      callback: tenant?.callback_url ? { url: tenant.callback_url, payload: body } : undefined,
    };
    return { sub, live, review, outcome };
  }

  /** The batch's outcomes in one transaction; if it fails, each alone (a failure is that job's own). */
  private async record(planned: Planned[], results: Settled[]): Promise<(RecordedOutcome | undefined)[]> {
    const items = planned.map((p) => ({ outcome: p.outcome, newDeliveryId: randomUUID() }));
    if (items.length === 0) return [];
    try {
      return await this.decisions.recordMany(items);
    } catch (error) {
      if (items.length === 1) {
        results[planned[0].index] = { ok: false, error };
        return [undefined];
      }
      this.logger.warn({ err: String(error), jobs: items.length }, 'batch write failed: writing each alone');
    }
    const alone: (RecordedOutcome | undefined)[] = [];
    for (const [k, it] of items.entries()) {
      try {
        alone.push(await this.decisions.record(it.outcome, it.newDeliveryId));
      } catch (error) {
        results[planned[k].index] = { ok: false, error };
        alone.push(undefined);
      }
    }
    return alone;
  }

  private observe(p: Planned, inserted: boolean): void {
    const { live, sub, review, item } = p;
    if (inserted) {
      this.metrics.verdicts.inc({ verdict: live.verdict });
      for (const [category, flagged] of Object.entries(live.categories))
        if (flagged) this.metrics.categories.inc({ category });
      const policy = `${live.policy.id}@v${live.policy.version}`;
      for (const [category, score] of Object.entries(live.categoryScores))
        this.metrics.scores.observe({ tenant: sub.tenant, policy, category }, score);
      this.metrics.endToEnd.observe((Date.now() - new Date(sub.created_at).getTime()) / 1000);
    }
    this.logger.info(
      { submissionId: item.job.submissionId, jobId: item.jobRef, verdict: live.verdict, review, inserted },
      inserted ? 'decided' : 'already decided by this policy version',
    );
  }

  /** Records a failure the submission owns (its decide job gave up), so it ends visibly. */
  async fail(submissionId: string, message: string): Promise<void> {
    await this.submissions.markFailed(submissionId, 'DECIDE_FAILED', message);
  }
}

/** A decision as stored: its API body and what the audit log keeps (enough to re-check it, and for fairness). */
function record(d: Decision, body: Record<string, unknown>, job: DecideJob): DecisionRecord {
  return {
    policy: d.policy,
    modelId: d.modelId,
    verdict: d.verdict,
    safetyScore: d.safetyScore,
    body,
    audit: {
      verdict: d.verdict,
      policy: d.policy,
      model_id: d.modelId,
      content_sha256: job.contentSha256,
      category_scores: d.categoryScores,
      thresholds: d.reasons.map((r) => ({
        category: r.category,
        threshold: r.threshold,
        value: r.thresholdValue,
      })),
      attributes: d.attributes,
    },
  };
}
