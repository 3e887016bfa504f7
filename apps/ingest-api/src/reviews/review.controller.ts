import { Body, Controller, Get, Param, Post, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { storableText } from '@clipguard/contracts';
import { ApiKeyGuard } from '../common/api-key.guard';
import { Tenant } from '../common/request-context';
import { ZodPipe } from '../common/zod.pipe';
import { ReviewService } from './review.service';

const resolveSchema = z.strictObject({
  verdict: z.enum(['allow', 'block']),
  moderator: storableText(200).pipe(z.string().min(1)),
  labels: z.array(z.string().max(100)).max(50).optional(),
  note: storableText(2000).optional(),
});
const pendingQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) });

/** The human review queue by API key: grey-zone items, oldest first, resolved and audited. */
@Controller('v1/reviews')
@UseGuards(ApiKeyGuard)
export class ReviewController {
  constructor(private readonly reviews: ReviewService) {}

  @Get()
  async pending(
    @Tenant() tenant: string,
    @Query(new ZodPipe(pendingQuery, 'QUERY_INVALID')) q: { limit: number },
  ) {
    return { items: await this.reviews.pending(tenant, q.limit) };
  }

  @Post(':id/resolve')
  async resolve(
    @Tenant() tenant: string,
    @Param('id') id: string,
    @Body(new ZodPipe(resolveSchema)) body: z.infer<typeof resolveSchema>,
  ) {
    return this.reviews.resolve(tenant, id, body);
  }
}
