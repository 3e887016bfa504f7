import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { ApiError } from '@clipguard/contracts';
import { ReviewRepository, type Resolution } from '@clipguard/storage';

/** The review queue as the API-key endpoints see it (the console has its own, richer service). */
@Injectable()
export class ReviewService {
  constructor(private readonly reviews: ReviewRepository) {}

  pending(tenant: string, limit: number) {
    return this.reviews.pending(tenant, limit);
  }

  /** Resolves a pending item of this tenant; anything else (unknown, resolved, another tenant's) is a 409. */
  async resolve(tenant: string, id: string, resolution: Resolution) {
    const resolved = z.uuid().safeParse(id).success
      ? await this.reviews.resolve(id, tenant, resolution)
      : undefined;
    if (!resolved) throw new ApiError('REVIEW_NOT_PENDING', `review ${id} is not pending for this tenant`);
    return resolved;
  }
}
