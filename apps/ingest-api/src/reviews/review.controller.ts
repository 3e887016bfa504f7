import { Body, Controller, Get, Headers, Inject, Param, Post, Query } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { TenantsFile } from '@clipguard/config';
import { ApiError, describeIssues } from '@clipguard/contracts';
import { appendAudit, type Database } from '@clipguard/storage';
import { tenantForApiKey } from '../common/api-key';
import { DB, TENANTS } from '../common/tokens';

const resolveSchema = z.strictObject({
  verdict: z.enum(['allow', 'block']),
  moderator: z.string().min(1).max(200),
  note: z.string().max(2000).optional(),
});

/** The human review queue: grey-zone items, oldest first, resolved by a moderator (and audited). */
@Controller('v1/reviews')
export class ReviewController {
  constructor(
    @Inject(DB) private readonly db: Kysely<Database>,
    @Inject(TENANTS) private readonly tenants: TenantsFile,
  ) {}

  @Get()
  async pending(@Headers('authorization') auth?: string, @Query('limit') limit?: string) {
    const tenant = tenantForApiKey(this.tenants, auth);
    const items = await this.db
      .selectFrom('reviews as r')
      .innerJoin('decisions as d', 'd.id', 'r.decision_id')
      .select(['r.id', 'r.submission_id', 'r.trigger', 'r.created_at', 'd.verdict', 'd.body'])
      .where('r.tenant', '=', tenant)
      .where('r.status', '=', 'pending')
      .orderBy('r.created_at')
      .limit(Math.min(Math.max(Number(limit) || 50, 1), 500))
      .execute();
    return { items };
  }

  @Post(':id/resolve')
  async resolve(@Param('id') id: string, @Body() body: unknown, @Headers('authorization') auth?: string) {
    const tenant = tenantForApiKey(this.tenants, auth);
    const parsed = resolveSchema.safeParse(body);
    if (!parsed.success) throw new ApiError(422, 'BODY_INVALID', describeIssues(parsed.error));
    if (!z.uuid().safeParse(id).success) throw new ApiError(404, 'REVIEW_NOT_FOUND', `no review ${id}`);
    return this.db.transaction().execute(async (trx) => {
      const review = await trx
        .updateTable('reviews')
        .set({ status: `resolved:${parsed.data.verdict}` })
        .where('id', '=', id)
        .where('tenant', '=', tenant)
        .where('status', '=', 'pending')
        .returning(['id', 'submission_id'])
        .executeTakeFirst();
      if (!review)
        throw new ApiError(409, 'REVIEW_NOT_PENDING', `review ${id} is not pending for this tenant`);
      await appendAudit(trx, {
        kind: 'review',
        ref: review.submission_id,
        body: { tenant, review: review.id, ...parsed.data },
      });
      return { id: review.id, status: `resolved:${parsed.data.verdict}` };
    });
  }
}
