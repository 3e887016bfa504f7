import { Inject, Injectable } from '@nestjs/common';
import type { TenantsFile } from '@clipguard/config';
import { ApiError, isUuid } from '@clipguard/contracts';
import { TENANTS } from '@clipguard/infra';
import { JobProducer } from '@clipguard/queue';
import { ReviewActionsRepository, ReviewRepository } from '@clipguard/storage';
import { reviewedCallback } from './review-callbacks';

export interface ApiResolution {
  verdict: 'allow' | 'block';
  moderator: string;
  labels?: string[];
  note?: string;
}

/**
 * The review queue for platforms that review in their own tools (API key): the platform names its
 * moderator. The outcome is audited and sent back as a `moderation.reviewed` callback, as from the console.
 */
@Injectable()
export class ReviewService {
  constructor(
    private readonly reviews: ReviewRepository,
    private readonly actions: ReviewActionsRepository,
    private readonly producer: JobProducer,
    @Inject(TENANTS) private readonly tenants: TenantsFile,
  ) {}

  pending(tenant: string, limit: number) {
    return this.reviews.pending(tenant, limit);
  }

  /** Resolves a pending item of this tenant; anything else (unknown, resolved, another tenant's) is a 409. */
  async resolve(tenant: string, id: string, r: ApiResolution) {
    const labels = r.labels ?? [];
    const resolved = isUuid(id)
      ? await this.actions.resolve({
          id,
          tenants: [tenant],
          actor: { userId: null, name: r.moderator },
          holder: null,
          verdict: r.verdict,
          labels,
          note: r.note,
          callback: reviewedCallback(this.tenants, tenant, { verdict: r.verdict, labels }),
        })
      : undefined;
    if (!resolved) throw new ApiError('REVIEW_NOT_PENDING', `review ${id} is not pending for this tenant`);
    if (resolved.deliveryId)
      await this.producer.enqueue('callback', { v: 1, deliveryId: resolved.deliveryId });
    return { id, status: `resolved:${r.verdict}` };
  }
}
