import { Inject, Injectable } from '@nestjs/common';
import { queueCapability, tenantsWith } from '@clipguard/auth';
import { tenantConfig, type AppEnv, type TenantsFile } from '@clipguard/config';
import { ApiError, type ItemView, type ResolveBody, isUuid } from '@clipguard/contracts';
import { BLOBS, ENV, TENANTS } from '@clipguard/infra';
import { JobProducer } from '@clipguard/queue';
import {
  ReviewActionsRepository,
  ReviewItemRepository,
  ReviewQueueRepository,
  SessionRepository,
  type BlobStore,
} from '@clipguard/storage';
import { appealResolvedCallback, reviewedCallback } from '../reviews/review-callbacks';
import { queueTenants, roleIn, tenantsFor } from './access';
import type { ConsoleUser } from './console-request';
import { historyLine } from './history';
import { decisionReceipt, itemSummary, type DecisionBody } from './item-view';
import { ConsoleBankService, type ItemRef } from './console-bank.service';
import { PolicyTextsService } from './policy-texts.service';

const itemRef = (r: {
  id: string;
  tenant: string;
  submission_id: string;
  blob_key: string | null;
  decision_body: unknown;
}): ItemRef => ({
  id: r.id,
  tenant: r.tenant,
  submission_id: r.submission_id,
  blob_key: r.blob_key,
  model_id: (r.decision_body as DecisionBody).model_id,
});

const notFound = (id: string) => new ApiError('ITEM_NOT_FOUND', `no review item ${id}`);
const lost = (id: string) =>
  new ApiError(
    'CLAIM_LOST',
    `review item ${id} is not yours to act on any more (resolved, or its claim expired)`,
  );

/** One review item: what a moderator sees of it, and what they do with it. */
@Injectable()
export class ItemService {
  constructor(
    private readonly items: ReviewItemRepository,
    private readonly queue: ReviewQueueRepository,
    private readonly actions: ReviewActionsRepository,
    private readonly sessions: SessionRepository,
    private readonly policies: PolicyTextsService,
    private readonly banking: ConsoleBankService,
    private readonly producer: JobProducer,
    @Inject(BLOBS) private readonly blobs: BlobStore,
    @Inject(TENANTS) private readonly tenants: TenantsFile,
    @Inject(ENV) private readonly env: AppEnv,
  ) {}

  /** The row, if the user may work its queue in its tenant; anything else is "not found". */
  private async row(user: ConsoleUser, id: string) {
    const row = isUuid(id)
      ? await this.items.find(id, tenantsWith(user.memberships, 'work_review'))
      : undefined;
    if (!row || !roleIn(user.memberships, row.tenant, queueCapability(row.queue))) throw notFound(id);
    return row;
  }

  async view(user: ConsoleUser, id: string, countView = false): Promise<ItemView> {
    const r = await this.row(user, id);
    if (countView) await this.sessions.countView(user.tokenHash);
    const body = r.decision_body as unknown as DecisionBody;
    const policy = this.policies.get(body.policy.id, body.policy.version)?.policy;
    const sla = (tenantConfig(this.tenants, r.tenant)?.review_sla_minutes ?? 60) * 60;
    const claimLive = r.claim_live && r.claimed_by !== null;
    return {
      ...itemSummary(r, sla),
      status: r.status,
      claim:
        claimLive && r.claim_expires_at
          ? {
              user_id: r.claimed_by as string,
              display_name: r.claimer_name ?? '',
              expires_at: r.claim_expires_at.toISOString(),
            }
          : null,
      reason: r.reason,
      decision: decisionReceipt(body, policy),
      appealed_review: r.appealed_verdict
        ? {
            verdict: r.appealed_verdict,
            labels: r.appealed_labels ?? [],
            resolved_by: r.appealed_resolved_by ?? '',
          }
        : null,
      review:
        r.verdict && r.resolved_at
          ? {
              verdict: r.verdict,
              labels: r.labels ?? [],
              note: r.note,
              resolved_by: r.resolver_name ?? '',
              resolved_at: r.resolved_at.toISOString(),
            }
          : null,
      metadata: r.metadata,
      image_url: `/v1/console/items/${r.id}/image`,
      history: (await this.items.history(r.submission_id)).map(historyLine),
    };
  }

  /** The image bytes, from our blob store only (never the platform's URL). */
  async image(user: ConsoleUser, id: string): Promise<Buffer> {
    const r = await this.row(user, id);
    const bytes = r.blob_key ? await this.blobs.get(r.blob_key) : undefined;
    if (!bytes) throw new ApiError('IMAGE_UNAVAILABLE', `the image of review item ${id} is no longer stored`);
    return bytes;
  }

  async renew(user: ConsoleUser, id: string) {
    const until = await this.queue.renew(id, user.id, this.env.CLIPGUARD_CONSOLE_CLAIM_SECONDS);
    if (!until) throw lost(id);
    return { claim_expires_at: until.toISOString() };
  }

  /** Gives up the user's own claim; a lead may release anyone's. */
  async release(user: ConsoleUser, id: string): Promise<void> {
    const r = await this.row(user, id);
    const lead = roleIn(user.memberships, r.tenant, 'manage_queue');
    const ok = await this.queue.reassign(id, null, lead ? null : user.id, this.actor(user), 0);
    if (!ok) throw lost(id);
  }

  /** A lead hands an item to a user who may work its queue in its tenant. */
  async assign(user: ConsoleUser, id: string, to: string, toMemberships: ConsoleUser['memberships']) {
    const r = await this.row(user, id);
    if (!roleIn(user.memberships, r.tenant, 'manage_queue'))
      throw new ApiError('ROLE_FORBIDDEN', 'only a lead reassigns items');
    const capability = r.queue === 'review' ? 'work_review' : 'work_lead_queues';
    if (!roleIn(toMemberships, r.tenant, capability))
      throw new ApiError('ROLE_FORBIDDEN', `that user cannot work the ${r.queue} queue of ${r.tenant}`);
    if (
      !(await this.queue.reassign(id, to, null, this.actor(user), this.env.CLIPGUARD_CONSOLE_CLAIM_SECONDS))
    )
      throw lost(id);
    return this.view(user, id);
  }

  async resolve(user: ConsoleUser, id: string, body: ResolveBody): Promise<ItemView> {
    const r = await this.row(user, id);
    if (r.queue === 'appeal')
      throw new ApiError('ROLE_FORBIDDEN', 'an appeal is decided with appeal-decision');
    const tenants = queueTenants(user, r.queue);
    const lead = roleIn(user.memberships, r.tenant, 'manage_queue');
    const addToBank = body.bank
      ? await this.banking.prepare(user, itemRef(r), body.verdict, body.bank)
      : undefined;
    const resolved = await this.actions.resolve({
      id,
      tenants,
      actor: this.actor(user),
      holder: lead ? null : user.id,
      verdict: body.verdict,
      labels: body.labels,
      note: body.note,
      callback: reviewedCallback(this.tenants, r.tenant, body),
    });
    if (!resolved) throw lost(id);
    // After the resolution (a lost claim adds nothing), before the image's blob is released.
    await addToBank?.(body.note ?? `review ${id}`);
    await this.afterResolution(r.blob_key, resolved.deliveryId);
    return this.view(user, id);
  }

  /** The nearest images humans already decided in the item's tenant (docs/console-api.md). */
  async similar(user: ConsoleUser, id: string) {
    return { similar: await this.banking.similar(user, itemRef(await this.row(user, id))) };
  }

  async escalate(user: ConsoleUser, id: string, reason: string): Promise<void> {
    const r = await this.row(user, id);
    const lead = roleIn(user.memberships, r.tenant, 'manage_queue');
    const ok = await this.actions.escalate(
      id,
      queueTenants(user, r.queue),
      this.actor(user),
      lead ? null : user.id,
      reason,
    );
    if (!ok) throw lost(id);
  }

  async decideAppeal(
    user: ConsoleUser,
    id: string,
    decision: 'uphold' | 'overturn',
    note?: string,
  ): Promise<ItemView> {
    const r = await this.row(user, id);
    const outcome = await this.actions.decideAppeal(
      id,
      tenantsFor(user, 'work_lead_queues'),
      this.actor(user),
      decision,
      note,
      appealResolvedCallback(this.tenants, r.tenant, decision),
    );
    if ('refused' in outcome) {
      if (outcome.refused === 'own_review')
        throw new ApiError(
          'APPEAL_OWN_REVIEW',
          'an appeal is decided by a lead other than the original reviewer',
        );
      throw lost(id);
    }
    await this.afterResolution(r.blob_key, outcome.deliveryId);
    return this.view(user, id);
  }

  private async afterResolution(blobKey: string | null, deliveryId: string | undefined): Promise<void> {
    if (deliveryId) await this.producer.enqueue('callback', { v: 1, deliveryId });
    if (blobKey) await this.blobs.release(blobKey);
  }

  private actor(user: ConsoleUser) {
    return { userId: user.id, name: user.displayName };
  }
}
