import { GUARDS_METADATA } from '@nestjs/common/constants';
import type { WebhookBody } from '@clipguard/contracts';
import { mockOf } from '@clipguard/testing';
import type { AuthenticatedRequest } from '../common/request-context';
import { SubmissionService } from '../submissions/submission.service';
import { WebhookController } from './webhook.controller';
import { WebhookGuard } from './webhook.guard';

const ID = '60718293-0000-4000-8000-000000000001';
const body: WebhookBody = {
  event_id: 'evt-1',
  content: { url: 'https://cdn.example.com/a.png' },
  metadata: {},
  priority: 'normal',
};

describe('WebhookController', () => {
  it('is behind the webhook guard', () => {
    expect(Reflect.getMetadata(GUARDS_METADATA, WebhookController.prototype.receive)).toContain(WebhookGuard);
  });

  it.each([false, true])(
    'accepts the event for the verified tenant with its webhook id (duplicate: %s)',
    async (duplicate) => {
      const submissions = mockOf(SubmissionService);
      submissions.accept.mockResolvedValue({ submissionId: ID, duplicate });
      const req = { webhookId: 'msg_1' } as AuthenticatedRequest;

      const res = await new WebhookController(submissions).receive('acme', req, body);

      expect(submissions.accept).toHaveBeenCalledWith('acme', body, 'msg_1');
      expect(res).toEqual({ submission_id: ID, duplicate, status_url: `/v1/moderations/${ID}` });
    },
  );
});
