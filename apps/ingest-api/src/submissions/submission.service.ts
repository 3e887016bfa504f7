import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppEnv } from '@clipguard/config';
import { ApiError, type WebhookBody } from '@clipguard/contracts';
import { BLOBS, ENV, LOGGER } from '@clipguard/infra';
import { JobProducer, bounded } from '@clipguard/queue';
import { SubmissionRepository, type BlobStore } from '@clipguard/storage';
import { ReconcilerService } from '../reconciler/reconciler.service';
import { priorityOf } from './priority';

export interface Accepted {
  submissionId: string;
  duplicate: boolean;
}

/**
 * Accepting a submission: the row is committed first (the record), then its embed job is enqueued with
 * the submission id as job id. If Redis does not take the job in time, the submission is still accepted:
 * the reconciler enqueues it.
 */
@Injectable()
export class SubmissionService {
  constructor(
    private readonly submissions: SubmissionRepository,
    private readonly producer: JobProducer,
    private readonly reconciler: ReconcilerService,
    @Inject(BLOBS) private readonly blobs: BlobStore,
    @Inject(ENV) private readonly env: AppEnv,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async accept(tenant: string, body: WebhookBody, webhookId?: string): Promise<Accepted> {
    const content = await this.storeContent(body.content);
    const { id, inserted } = await this.submissions.insert(
      {
        tenant,
        eventId: body.event_id,
        webhookId,
        ...content,
        metadata: body.metadata,
        priority: body.priority,
      },
      randomUUID(),
    );
    const log = { tenant, eventId: body.event_id, submissionId: id, webhookId };
    if (!inserted) {
      this.logger.info(log, 'duplicate event: same submission');
      await this.redriveIfStuck(id);
      return { submissionId: id, duplicate: true };
    }
    try {
      await bounded(
        this.producer.enqueue('embed', { v: 1, submissionId: id }, { priority: priorityOf(body.priority) }),
        this.env.CLIPGUARD_ENQUEUE_TIMEOUT_MS,
        'enqueue',
      );
      await this.submissions.markEnqueued(id);
    } catch (err) {
      this.logger.error(
        { ...log, err: String(err) },
        'enqueue failed after commit; the reconciler will enqueue it',
      );
    }
    this.logger.info(log, 'submission accepted');
    return { submissionId: id, duplicate: false };
  }

  /** A platform re-sending an event whose submission is stuck (its job lost) gets it moving again. */
  private async redriveIfStuck(id: string): Promise<void> {
    const s = await this.submissions.find(id);
    if (!s || s.status === 'decided' || s.status === 'failed') return;
    try {
      await bounded(
        this.reconciler.reconcileSubmission(s),
        this.env.CLIPGUARD_ENQUEUE_TIMEOUT_MS,
        're-drive',
      );
    } catch (err) {
      this.logger.warn(
        { submissionId: id, err: String(err) },
        're-drive on duplicate failed; the reconciler retries',
      );
    }
  }

  private async storeContent(
    content: WebhookBody['content'],
  ): Promise<{ blobKey: string | null; contentUrl: string | null }> {
    if ('base64' in content) {
      const bytes = Buffer.from(content.base64, 'base64');
      if (bytes.length > this.env.CLIPGUARD_MAX_IMAGE_BYTES)
        throw new ApiError(
          'IMAGE_TOO_LARGE',
          `image of ${bytes.length} bytes exceeds ${this.env.CLIPGUARD_MAX_IMAGE_BYTES}`,
        );
      return { blobKey: await this.blobs.put(bytes), contentUrl: null };
    }
    const u = new URL(content.url);
    if (u.protocol !== 'https:' && !(this.env.CLIPGUARD_FETCH_ALLOW_HTTP && u.protocol === 'http:'))
      throw new ApiError('CONTENT_URL_REJECTED', `only https URLs are fetched, not ${u.protocol}`);
    return { blobKey: null, contentUrl: u.toString() };
  }
}
