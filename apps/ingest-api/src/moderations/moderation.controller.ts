import { randomUUID } from 'node:crypto';
import { Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { TenantsFile } from '@clipguard/config';
import { ApiError, describeIssues, webhookBodySchema, type WebhookBody } from '@clipguard/contracts';
import type { Database } from '@clipguard/storage';
import { tenantForApiKey } from '../common/api-key';
import { DB, TENANTS } from '../common/tokens';
import { SubmissionService } from '../submissions/submission.service';

const listQuery = z.object({
  tenant: z.string().optional(),
  verdict: z.enum(['allow', 'review', 'block']).optional(),
  since: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.iso.datetime().optional(),
});

/** Status and decisions of submissions, for the tenant whose API key is presented. */
@Controller('v1/moderations')
export class ModerationController {
  constructor(
    @Inject(DB) private readonly db: Kysely<Database>,
    @Inject(TENANTS) private readonly tenants: TenantsFile,
    private readonly submissions: SubmissionService,
  ) {}

  private tenantFor(authorization: string | undefined): string {
    return tenantForApiKey(this.tenants, authorization);
  }

  /** Direct moderation: JSON ({event_id?, content}) or multipart (field "image"); ?wait=ms waits for the decision. */
  @Post()
  @HttpCode(202)
  async create(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('wait') wait?: string,
    @Headers('authorization') auth?: string,
  ) {
    const tenant = this.tenantFor(auth);
    let body: WebhookBody;
    if (req.isMultipart()) {
      const file = await req.file();
      if (!file) throw new ApiError(422, 'IMAGE_MISSING', 'multipart upload needs a file field "image"');
      const bytes = await file.toBuffer();
      body = {
        event_id: randomUUID(),
        content: { base64: bytes.toString('base64') },
        metadata: {},
        priority: 'normal',
      };
    } else {
      const parsed = webhookBodySchema.safeParse({ event_id: randomUUID(), ...(req.body as object) });
      if (!parsed.success) throw new ApiError(422, 'BODY_INVALID', describeIssues(parsed.error));
      body = parsed.data;
    }
    const { submissionId } = await this.submissions.accept(tenant, body);
    const waitMs = Math.min(Math.max(Number(wait ?? 0) || 0, 0), 30_000);
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      const s = await this.db
        .selectFrom('submissions')
        .select('status')
        .where('id', '=', submissionId)
        .executeTakeFirstOrThrow();
      if (s.status === 'decided' || s.status === 'failed') {
        void reply.status(200);
        return this.get(submissionId, auth);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    return { submission_id: submissionId, status_url: `/v1/moderations/${submissionId}` };
  }

  @Get(':id')
  async get(@Param('id') id: string, @Headers('authorization') auth?: string) {
    const tenant = this.tenantFor(auth);
    if (!z.uuid().safeParse(id).success)
      throw new ApiError(404, 'SUBMISSION_NOT_FOUND', `no submission ${id}`);
    const s = await this.db
      .selectFrom('submissions')
      .selectAll()
      .where('id', '=', id)
      .where('tenant', '=', tenant)
      .executeTakeFirst();
    if (!s) throw new ApiError(404, 'SUBMISSION_NOT_FOUND', `no submission ${id}`);
    const decisions = await this.db
      .selectFrom('decisions')
      .selectAll()
      .where('submission_id', '=', id)
      .execute();
    const callback = await this.db
      .selectFrom('callback_deliveries')
      .select(['id', 'status', 'attempts', 'last_status', 'last_error'])
      .where('submission_id', '=', id)
      .executeTakeFirst();
    return {
      id: s.id,
      tenant: s.tenant,
      event_id: s.event_id,
      status: s.status,
      error: s.error_code ? { code: s.error_code, message: s.error_message } : null,
      decision: decisions.find((d) => !d.shadow)?.body ?? null,
      shadow_decision: decisions.find((d) => d.shadow)?.body ?? null,
      callback: callback ?? null,
      created_at: s.created_at,
    };
  }

  @Get()
  async list(@Query() query: Record<string, string>, @Headers('authorization') auth?: string) {
    const tenant = this.tenantFor(auth);
    const q = listQuery.safeParse(query);
    if (!q.success) throw new ApiError(400, 'QUERY_INVALID', describeIssues(q.error));
    if (q.data.tenant && q.data.tenant !== tenant)
      throw new ApiError(403, 'TENANT_FORBIDDEN', 'an API key sees only its own tenant');
    let sel = this.db
      .selectFrom('submissions as s')
      .leftJoin('decisions as d', (j) => j.onRef('d.submission_id', '=', 's.id').on('d.shadow', '=', false))
      .select(['s.id', 's.status', 's.event_id', 's.created_at', 'd.verdict', 'd.safety_score'])
      .where('s.tenant', '=', tenant)
      .orderBy('s.created_at', 'desc')
      .limit(q.data.limit);
    if (q.data.verdict) sel = sel.where('d.verdict', '=', q.data.verdict);
    if (q.data.since) sel = sel.where('s.created_at', '>=', new Date(q.data.since));
    if (q.data.before) sel = sel.where('s.created_at', '<', new Date(q.data.before));
    const items = await sel.execute();
    const last = items[items.length - 1];
    return {
      items,
      next:
        items.length === q.data.limit && last ? { before: new Date(last.created_at).toISOString() } : null,
    };
  }
}
