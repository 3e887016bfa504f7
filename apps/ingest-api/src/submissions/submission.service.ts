import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Env, PipelineEnv } from '@clipguard/config';
import { ApiError, QUEUES, jobId, type EmbedJob, type WebhookBody } from '@clipguard/contracts';
import { EMBED_JOB_OPTIONS } from '@clipguard/queue';
import type { BlobStore, Database } from '@clipguard/storage';
import { BLOBS, DB, ENV, LOGGER } from '../common/tokens';

const PRIORITY = { high: 1, normal: 5, low: 10 } as const;

/**
 * Accepting a submission: the row is committed first, then its embed job is enqueued with the
 * submission id as job id. A sweep re-enqueues rows committed but never enqueued (a crash in between).
 */
@Injectable()
export class SubmissionService implements OnModuleInit, OnModuleDestroy {
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(DB) private readonly db: Kysely<Database>,
    @Inject(BLOBS) private readonly blobs: BlobStore,
    @Inject(ENV) private readonly env: Env & PipelineEnv,
    @Inject(LOGGER) private readonly logger: Logger,
    @InjectQueue(QUEUES.embed) private readonly queue: Queue<EmbedJob>,
  ) {}

  onModuleInit(): void {
    this.sweepTimer = setInterval(
      () => void this.sweep().catch((err: unknown) => this.logger.error({ err }, 'sweep failed')),
      this.env.CLIPGUARD_SWEEP_INTERVAL_MS,
    );
  }

  onModuleDestroy(): void {
    clearInterval(this.sweepTimer);
  }

  async accept(tenant: string, body: WebhookBody): Promise<{ submissionId: string; duplicate: boolean }> {
    let blobKey: string | null = null;
    let url: string | null = null;
    if ('base64' in body.content) {
      const bytes = Buffer.from(body.content.base64, 'base64');
      if (bytes.length > this.env.CLIPGUARD_MAX_IMAGE_BYTES) {
        throw new ApiError(
          413,
          'IMAGE_TOO_LARGE',
          `image of ${bytes.length} bytes exceeds ${this.env.CLIPGUARD_MAX_IMAGE_BYTES}`,
        );
      }
      blobKey = await this.blobs.put(bytes);
    } else {
      const u = new URL(body.content.url);
      if (u.protocol !== 'https:' && !(this.env.CLIPGUARD_FETCH_ALLOW_HTTP && u.protocol === 'http:')) {
        throw new ApiError(422, 'CONTENT_URL_REJECTED', `only https URLs are fetched, not ${u.protocol}`);
      }
      url = u.toString();
    }
    const id = randomUUID();
    const inserted = await this.db
      .insertInto('submissions')
      .values({
        id,
        tenant,
        event_id: body.event_id,
        status: 'queued',
        content_url: url,
        blob_key: blobKey,
        content_sha256: blobKey,
        metadata: JSON.stringify(body.metadata),
        priority: body.priority,
      })
      .onConflict((oc) => oc.columns(['tenant', 'event_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      const existing = await this.db
        .selectFrom('submissions')
        .select('id')
        .where('tenant', '=', tenant)
        .where('event_id', '=', body.event_id)
        .executeTakeFirstOrThrow();
      this.logger.info(
        { tenant, eventId: body.event_id, submissionId: existing.id },
        'duplicate event, nothing enqueued',
      );
      return { submissionId: existing.id, duplicate: true };
    }
    try {
      await this.enqueue(id, body.priority);
    } catch (err) {
      // The row is committed: the sweep enqueues it later, so the submission is still accepted.
      this.logger.error({ err, submissionId: id }, 'enqueue failed after commit; the sweep will retry');
    }
    this.logger.info({ tenant, eventId: body.event_id, submissionId: id }, 'submission accepted');
    return { submissionId: id, duplicate: false };
  }

  async enqueue(submissionId: string, priority: keyof typeof PRIORITY): Promise<void> {
    await this.queue.add(
      QUEUES.embed,
      { v: 1, submissionId },
      { ...EMBED_JOB_OPTIONS, jobId: jobId.embed(submissionId), priority: PRIORITY[priority] },
    );
    await this.db
      .updateTable('submissions')
      .set({ enqueued_at: new Date() })
      .where('id', '=', submissionId)
      .execute();
  }

  /** Re-enqueues submissions committed but never enqueued; the deterministic job id makes this safe to repeat. */
  async sweep(): Promise<number> {
    const stale = await this.db
      .selectFrom('submissions')
      .select(['id', 'priority'])
      .where('enqueued_at', 'is', null)
      .where(
        'created_at',
        '<',
        sql<Date>`now() - ${`${this.env.CLIPGUARD_SWEEP_GRACE_MS} milliseconds`}::interval`,
      )
      .limit(500)
      .execute();
    for (const s of stale) {
      await this.enqueue(s.id, s.priority as keyof typeof PRIORITY);
      this.logger.warn(
        { submissionId: s.id },
        'submission was committed but never enqueued: enqueued by the sweep',
      );
    }
    return stale.length;
  }
}
