import { Controller, Headers, HttpCode, Inject, Param, Post, Req, type RawBodyRequest } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { secretsFromEnv, type PipelineEnv, type TenantsFile } from '@clipguard/config';
import { ApiError, describeIssues, webhookBodySchema } from '@clipguard/contracts';
import { SubmissionService } from '../submissions/submission.service';
import { RateLimiter } from '../common/rate-limiter';
import { ENV, REDIS, TENANTS } from '../common/tokens';
import { verifyWebhook, type HeaderBag } from './webhook-verifier';

// Retries of one delivery reuse its webhook-id and timestamp; a webhook-id seen with another timestamp is a replay.
const REPLAY_WINDOW_SECONDS = 15 * 60;

@Controller('v1/webhooks')
export class WebhookController {
  constructor(
    @Inject(TENANTS) private readonly tenants: TenantsFile,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ENV) private readonly env: PipelineEnv,
    private readonly submissions: SubmissionService,
    private readonly rateLimiter: RateLimiter,
  ) {}

  @Post(':tenant')
  @HttpCode(202)
  async receive(
    @Param('tenant') tenant: string,
    @Req() req: RawBodyRequest<FastifyRequest>,
    @Headers() headers: HeaderBag,
  ) {
    const config = this.tenants.tenants[tenant];
    if (!config) throw new ApiError(401, 'TENANT_UNKNOWN', `unknown tenant "${tenant}"`);
    const raw = req.rawBody ?? Buffer.alloc(0);
    const { id, timestamp } = verifyWebhook(secretsFromEnv(config.webhook_secret_envs), raw, headers);
    const seen = await this.redis.set(
      `${this.env.CLIPGUARD_QUEUE_PREFIX}:webhook-id:${tenant}:${id}`,
      timestamp,
      'EX',
      REPLAY_WINDOW_SECONDS,
      'GET',
    );
    if (seen !== null && seen !== timestamp) {
      throw new ApiError(
        401,
        'WEBHOOK_REPLAYED',
        `webhook-id ${id} was already delivered with another timestamp`,
      );
    }
    await this.rateLimiter.take(tenant, config.rate_limit_per_minute);
    const parsed = webhookBodySchema.safeParse(req.body);
    if (!parsed.success) {
      const issues = describeIssues(parsed.error);
      throw new ApiError(422, 'WEBHOOK_BODY_INVALID', issues);
    }
    const { submissionId, duplicate } = await this.submissions.accept(tenant, parsed.data);
    return { submission_id: submissionId, duplicate, status_url: `/v1/moderations/${submissionId}` };
  }
}
