import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError, type Queue } from 'bullmq';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Env, PipelineEnv, TenantsFile } from '@clipguard/config';
import { QUEUES, jobId, type CallbackJob, type DecideJob } from '@clipguard/contracts';
import { decide, type Decision } from '@clipguard/decision';
import { scoreFrames, type CompiledPolicy } from '@clipguard/policy';
import { callbackJobOptions } from '@clipguard/queue';
import { appendAudit, type Database, type PolicyCatalog } from '@clipguard/storage';
import { decisionJson } from './decision-json';
import { DecisionMetrics } from './decision.metrics';
import { DB, ENV, LOGGER, POLICIES, TENANTS } from './tokens';

type Similarities = DecideJob['live'];

/**
 * similarities → decision, stored idempotently (one per submission and policy version however often the
 * job runs), with its audit entry, review item and callback delivery in the same transaction.
 */
@Injectable()
export class DecisionService {
  constructor(
    @Inject(DB) private readonly db: Kysely<Database>,
    @Inject(POLICIES) private readonly policies: PolicyCatalog,
    @Inject(TENANTS) private readonly tenants: TenantsFile,
    @Inject(ENV) private readonly env: Env & PipelineEnv,
    @Inject(LOGGER) private readonly logger: Logger,
    @InjectQueue(QUEUES.callback) private readonly callbacks: Queue<CallbackJob>,
    private readonly metrics: DecisionMetrics,
  ) {}

  private apply(job: DecideJob, s: Similarities): Decision {
    const meta = this.policies.get(s.policyId, s.version);
    if (!meta) throw new Error(`policy ${s.policyId} v${s.version} is not loaded here yet`);
    if (meta.hash !== s.hash) {
      throw new UnrecoverableError(
        `policy ${s.policyId} v${s.version} differs from the one the worker scored (hash ${s.hash.slice(0, 12)})`,
      );
    }
    const compiled: CompiledPolicy = { ...meta, modelId: job.modelId };
    return decide(compiled, scoreFrames(meta.policy, meta.prompts, s.similarities, job.logitScale));
  }

  async decide(job: DecideJob, jobRef: string): Promise<void> {
    const started = performance.now();
    const sub = await this.db
      .selectFrom('submissions')
      .select(['id', 'tenant', 'status', 'created_at'])
      .where('id', '=', job.submissionId)
      .executeTakeFirst();
    if (!sub) throw new UnrecoverableError(`no submission ${job.submissionId}`);
    const tenant = this.tenants.tenants[sub.tenant];
    const live = this.apply(job, job.live);
    const shadow = job.shadow ? this.apply(job, job.shadow) : undefined;
    const timings = { ...job.timings, decide_ms: performance.now() - started };
    const body = decisionJson(job.submissionId, live, shadow, timings);
    const review = this.reviewTrigger(sub.tenant, live);
    const deliveryId = await this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('decisions')
        .values({
          submission_id: job.submissionId,
          policy_id: live.policy.id,
          policy_version: live.policy.version,
          policy_hash: live.policy.hash,
          model_id: live.modelId,
          shadow: false,
          verdict: live.verdict,
          safety_score: live.safetyScore,
          body: JSON.stringify(body),
        })
        .onConflict((oc) => oc.columns(['submission_id', 'policy_id', 'policy_version']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) {
        await appendAudit(trx, {
          kind: 'decision',
          ref: job.submissionId,
          body: auditBody(job, live, sub.tenant),
        });
        if (review) {
          await trx
            .insertInto('reviews')
            .values({
              submission_id: job.submissionId,
              decision_id: inserted.id,
              tenant: sub.tenant,
              trigger: review,
            })
            .onConflict((oc) => oc.column('submission_id').doNothing())
            .execute();
        }
      }
      if (shadow) {
        const shadowRow = await trx
          .insertInto('decisions')
          .values({
            submission_id: job.submissionId,
            policy_id: shadow.policy.id,
            policy_version: shadow.policy.version,
            policy_hash: shadow.policy.hash,
            model_id: shadow.modelId,
            shadow: true,
            verdict: shadow.verdict,
            safety_score: shadow.safetyScore,
            body: JSON.stringify(decisionJson(job.submissionId, shadow, undefined, timings)),
          })
          .onConflict((oc) => oc.columns(['submission_id', 'policy_id', 'policy_version']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (shadowRow)
          await appendAudit(trx, {
            kind: 'shadow_decision',
            ref: job.submissionId,
            body: auditBody(job, shadow, sub.tenant),
          });
      }
      const vectors = Buffer.concat(job.embeddings.map((e) => Buffer.from(e, 'base64')));
      await trx
        .insertInto('embeddings')
        .values({
          content_sha256: job.contentSha256,
          model_id: job.modelId,
          frames: job.embeddings.length,
          vectors,
        })
        .onConflict((oc) => oc.columns(['content_sha256', 'model_id']).doNothing())
        .execute();
      await trx
        .updateTable('submissions')
        .set({ status: 'decided', updated_at: new Date() })
        .where('id', '=', job.submissionId)
        .execute();
      if (!tenant?.callback_url) return undefined;
      await trx
        .insertInto('callback_deliveries')
        .values({
          id: randomUUID(),
          submission_id: job.submissionId,
          tenant: sub.tenant,
          url: tenant.callback_url,
          payload: JSON.stringify(body),
        })
        .onConflict((oc) => oc.column('submission_id').doNothing())
        .execute();
      const row = await trx
        .selectFrom('callback_deliveries')
        .select(['id', 'status'])
        .where('submission_id', '=', job.submissionId)
        .executeTakeFirstOrThrow();
      return row.status === 'pending' ? row.id : undefined;
    });
    if (deliveryId) {
      await this.callbacks.add(
        QUEUES.callback,
        { v: 1, deliveryId },
        {
          ...callbackJobOptions(
            this.env.CLIPGUARD_CALLBACK_BACKOFF_MS,
            this.env.CLIPGUARD_CALLBACK_HORIZON_MS,
          ),
          jobId: jobId.callback(deliveryId),
        },
      );
    }
    this.metrics.verdicts.inc({ verdict: live.verdict });
    for (const [category, flagged] of Object.entries(live.categories))
      if (flagged) this.metrics.categories.inc({ category });
    this.metrics.endToEnd.observe((Date.now() - new Date(sub.created_at).getTime()) / 1000);
    this.logger.info(
      { submissionId: job.submissionId, jobId: jobRef, verdict: live.verdict, review },
      'decided',
    );
  }

  /** Review triggers: the review verdict, a score band per category (A2I-style), or a random QA sample. */
  private reviewTrigger(tenant: string, d: Decision): string | undefined {
    if (d.verdict === 'review') return 'verdict';
    const bands = this.tenants.tenants[tenant]?.review_bands ?? {};
    for (const [category, [lo, hi]] of Object.entries(bands)) {
      const score = d.categoryScores[category];
      if (score !== undefined && score >= lo && score <= hi) return `band:${category}`;
    }
    if (this.env.CLIPGUARD_REVIEW_SAMPLE_RATE > 0 && Math.random() < this.env.CLIPGUARD_REVIEW_SAMPLE_RATE)
      return `sample:${d.verdict}`;
    return undefined;
  }
}

/** What the audit log keeps: enough to re-check a decision and to report on fairness in aggregate. */
function auditBody(job: DecideJob, d: Decision, tenant: string): Record<string, unknown> {
  return {
    tenant,
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
  };
}
