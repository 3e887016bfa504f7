import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { loadPipelineEnv } from '@clipguard/config';
import { QUEUES } from '@clipguard/contracts';
import { LOGGER } from '@clipguard/infra';
import { parseJob } from '@clipguard/queue';
import { CallbackService } from './callback.service';
import { DecisionService } from './decision.service';
import { TenantSlots } from './tenant-slots';

// Worker options are fixed when the decorators run, so they come from the one config loader here.
const env = loadPipelineEnv();
const isLastAttempt = (job: Job) => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
// The same bound on a killed process's jobs as the embed worker's (BullMQ's defaults would hold them for
// up to about a minute and a half: a 30 s lock, then up to two 30 s stalled checks).
const stalled = {
  lockDuration: env.CLIPGUARD_LOCK_DURATION_MS,
  stalledInterval: env.CLIPGUARD_STALLED_INTERVAL_MS,
  maxStalledCount: 3,
};

@Processor(QUEUES.decide, { concurrency: env.CLIPGUARD_DECIDE_CONCURRENCY, ...stalled })
export class DecideProcessor extends WorkerHost {
  constructor(
    private readonly service: DecisionService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  async process(job: Job): Promise<void> {
    const payload = parseJob('decide', job);
    try {
      await this.service.decide(payload, String(job.id));
    } catch (err) {
      if (err instanceof UnrecoverableError || isLastAttempt(job)) {
        const message = err instanceof Error ? err.message : String(err);
        await this.service.fail(payload.submissionId, message);
        this.logger.error(
          { submissionId: payload.submissionId, jobId: job.id },
          `decision failed: ${message}`,
        );
      }
      throw err;
    }
  }

  @OnWorkerEvent('error')
  onError(err: Error): void {
    this.logger.warn({ err: err.message }, 'decide worker error');
  }
}

@Processor(QUEUES.callback, { concurrency: env.CLIPGUARD_CALLBACK_CONCURRENCY, ...stalled })
export class CallbackProcessor extends WorkerHost {
  private readonly slots = new TenantSlots(env.CLIPGUARD_CALLBACK_TENANT_CONCURRENCY);

  constructor(
    private readonly service: CallbackService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  async process(job: Job, token?: string): Promise<void> {
    const { deliveryId } = parseJob('callback', job);
    const delivery = await this.service.pending(deliveryId);
    if (!delivery) return;
    if (!this.slots.tryAcquire(delivery.tenant)) {
      // This tenant already holds its share of slots: step aside without using an attempt, so the
      // other tenants' callbacks go first.
      await job.moveToDelayed(Date.now() + 200 + Math.floor(Math.random() * 300), token);
      throw new DelayedError();
    }
    try {
      const claim = await this.service.claim(delivery.id);
      if (claim.outcome === 'sent') return;
      if (claim.outcome === 'busy') {
        // Another run of this job (its lock lost while it was sending) is still at it: look again once
        // its claim has ended, without using an attempt.
        await job.moveToDelayed(Math.max(claim.until.getTime(), Date.now()) + 100, token);
        throw new DelayedError();
      }
      await this.service.deliver(claim.delivery, isLastAttempt(job));
    } finally {
      this.slots.release(delivery.tenant);
    }
  }

  @OnWorkerEvent('error')
  onError(err: Error): void {
    this.logger.warn({ err: err.message }, 'callback worker error');
  }
}
