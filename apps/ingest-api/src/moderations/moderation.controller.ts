import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, appealBodySchema } from '@clipguard/contracts';
import type { z } from 'zod';
import { ApiKeyGuard } from '../common/api-key.guard';
import { Tenant } from '../common/request-context';
import { ZodPipe } from '../common/zod.pipe';
import { SubmissionService } from '../submissions/submission.service';
import { listQuerySchema, moderationBodySchema, waitQuerySchema, type ListQuery } from './moderation.schemas';
import { AppealService } from './appeal.service';
import { ModerationService } from './moderation.service';
import { multipartImage } from './multipart-image';

/** Status and decisions of submissions, for the tenant whose API key is presented. */
@Controller('v1/moderations')
@UseGuards(ApiKeyGuard)
export class ModerationController {
  constructor(
    private readonly moderations: ModerationService,
    private readonly submissions: SubmissionService,
    private readonly appeals: AppealService,
  ) {}

  /** The platform appeals a block on behalf of its user; it is decided in the console by a lead. */
  @Post(':id/appeals')
  @HttpCode(201)
  appeal(
    @Tenant() tenant: string,
    @Param('id') id: string,
    @Body(new ZodPipe(appealBodySchema)) body: z.infer<typeof appealBodySchema>,
  ) {
    return this.appeals.open(tenant, id, body.statement, body.user_id);
  }

  /** JSON ({event_id?, content, …}) or multipart (file field "image"); ?wait=ms returns the decision if ready. */
  @Post()
  @HttpCode(202)
  async create(
    @Tenant() tenant: string,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query(new ZodPipe(waitQuerySchema, 'QUERY_INVALID')) query: { wait: number },
  ) {
    const body = req.isMultipart()
      ? {
          event_id: undefined,
          content: { base64: (await multipartImage(req)).toString('base64') },
          metadata: {},
          priority: 'normal' as const,
        }
      : new ZodPipe(moderationBodySchema).transform(req.body);
    const { submissionId } = await this.submissions.accept(tenant, {
      ...body,
      event_id: body.event_id ?? randomUUID(),
    });
    if (query.wait > 0 && (await this.moderations.waitUntilFinal(submissionId, query.wait))) {
      void reply.status(200);
      return this.moderations.view(submissionId, tenant);
    }
    return { submission_id: submissionId, status_url: `/v1/moderations/${submissionId}` };
  }

  @Get(':id')
  get(@Tenant() tenant: string, @Param('id') id: string) {
    return this.moderations.view(id, tenant);
  }

  @Get()
  list(@Tenant() tenant: string, @Query(new ZodPipe(listQuerySchema, 'QUERY_INVALID')) q: ListQuery) {
    if (q.tenant && q.tenant !== tenant)
      throw new ApiError('TENANT_FORBIDDEN', 'an API key sees only its own tenant');
    return this.moderations.list({
      tenant,
      verdict: q.verdict,
      since: q.since ? new Date(q.since) : undefined,
      before: q.before ? new Date(q.before) : undefined,
      limit: q.limit,
    });
  }
}
