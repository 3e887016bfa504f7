import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { webhookBodySchema, type WebhookBody } from '@clipguard/contracts';
import { Tenant, type AuthenticatedRequest } from '../common/request-context';
import { ZodPipe } from '../common/zod.pipe';
import { SubmissionService } from '../submissions/submission.service';
import { WebhookGuard } from './webhook.guard';

@Controller('v1/webhooks')
export class WebhookController {
  constructor(private readonly submissions: SubmissionService) {}

  /** A verified upload event → 202 with the submission id (the same id for a repeated event). */
  @Post(':tenant')
  @HttpCode(202)
  @UseGuards(WebhookGuard)
  async receive(
    @Tenant() tenant: string,
    @Req() req: AuthenticatedRequest,
    @Body(new ZodPipe(webhookBodySchema, 'WEBHOOK_BODY_INVALID')) body: WebhookBody,
  ) {
    const { submissionId, duplicate } = await this.submissions.accept(tenant, body, req.webhookId);
    return { submission_id: submissionId, duplicate, status_url: `/v1/moderations/${submissionId}` };
  }
}
