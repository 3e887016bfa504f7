import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppEnv } from '@clipguard/config';
import { ENV, LOGGER } from '@clipguard/infra';
import { JOBS, JobProducer } from '@clipguard/queue';
import { CallbackRepository, SubmissionRepository, type Submission } from '@clipguard/storage';
import { priorityOf } from '../submissions/priority';

export type SubmissionOutcome = 'live' | 'enqueued' | 'redriven' | 'exhausted';

export interface ReconcileReport {
  at: string;
  submissions: Record<SubmissionOutcome, number>;
  callbacks: { live: number; redriven: number };
}

/**
 * Postgres is the record and Redis only carries work: any unfinished submission or pending callback whose
 * job Redis no longer holds (never enqueued, lost with Redis's contents, or ended without its effect being
 * stored) is enqueued again by its stable job id, at start-up and then periodically. Several API instances
 * may run this at once: a re-drive is claimed with a guarded update, and job ids collapse duplicates.
 */
@Injectable()
export class ReconcilerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  last: ReconcileReport | undefined;

  constructor(
    private readonly submissions: SubmissionRepository,
    private readonly callbacks: CallbackRepository,
    private readonly producer: JobProducer,
    @Inject(ENV) private readonly env: AppEnv,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.reconcile()
        .catch((err: unknown) => this.logger.warn({ err: String(err) }, 'reconcile pass failed; retrying'))
        .finally(() => this.schedule(this.env.CLIPGUARD_SWEEP_INTERVAL_MS));
    }, delayMs);
  }

  /** One pass over the work Postgres says is unfinished. */
  async reconcile(): Promise<ReconcileReport> {
    const report: ReconcileReport = {
      at: new Date().toISOString(),
      submissions: { live: 0, enqueued: 0, redriven: 0, exhausted: 0 },
      callbacks: { live: 0, redriven: 0 },
    };
    for (const s of await this.submissions.listUnfinished(this.env.CLIPGUARD_SWEEP_GRACE_MS, 500))
      report.submissions[await this.reconcileSubmission(s)]++;
    for (const d of await this.callbacks.listPending(this.env.CLIPGUARD_SWEEP_GRACE_MS, 500)) {
      const payload = { v: 1 as const, deliveryId: d.id };
      if (await this.producer.isLive('callback', JOBS.callback.id(payload))) {
        report.callbacks.live++;
        continue;
      }
      await this.producer.redrive('callback', payload);
      await this.callbacks.touch(d.id);
      report.callbacks.redriven++;
      this.logger.warn(
        { submissionId: d.submission_id, deliveryId: d.id },
        'callback job was missing: re-driven',
      );
    }
    this.last = report;
    return report;
  }

  /** Makes sure one unfinished submission has a job that will finish it. */
  async reconcileSubmission(s: Submission): Promise<SubmissionOutcome> {
    const log = { submissionId: s.id, tenant: s.tenant, status: s.status };
    if (await this.hasLiveJob(s)) return 'live';
    if (await this.movedOn(s)) return 'live';
    const embed = { v: 1 as const, submissionId: s.id };
    if (s.enqueued_at === null) {
      await this.producer.enqueue('embed', embed, { priority: priorityOf(s.priority) });
      await this.submissions.markEnqueued(s.id);
      this.logger.warn(log, 'submission was committed but never enqueued: enqueued now');
      return 'enqueued';
    }
    if (s.redrives >= this.env.CLIPGUARD_MAX_REDRIVES) {
      await this.submissions.markFailed(
        s.id,
        'REDRIVE_EXHAUSTED',
        `its job went missing ${s.redrives} times; not re-driven again`,
      );
      this.logger.error(log, 'submission failed: re-drive limit reached');
      return 'exhausted';
    }
    if (!(await this.submissions.countRedrive(s.id, s.redrives))) return 'live';
    await this.producer.redrive('embed', embed, { priority: priorityOf(s.priority) });
    this.logger.warn({ ...log, redrives: s.redrives + 1 }, 'job missing from Redis: submission re-driven');
    return 'redriven';
  }

  /**
   * The row was read before its job's state: a job that finished in between has already moved the row on
   * (the worker writes its progress before its job completes), so only a row still as it was read is
   * abandoned. Without this a busy pass re-drives work that a live worker has just finished.
   */
  private async movedOn(s: Submission): Promise<boolean> {
    const now = await this.submissions.find(s.id);
    return !now || now.status !== s.status || now.updated_at.getTime() !== s.updated_at.getTime();
  }

  private async hasLiveJob(s: Submission): Promise<boolean> {
    if (await this.producer.isLive('embed', JOBS.embed.id({ v: 1, submissionId: s.id }))) return true;
    return (
      s.status === 'deciding' && s.decide_job_id !== null && this.producer.isLive('decide', s.decide_job_id)
    );
  }
}
