import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { loadPipelineEnv } from '@clipguard/config';
import { QUEUES } from '@clipguard/contracts';
import { LOGGER } from '@clipguard/infra';
import { parseJob } from '@clipguard/queue';
import { EmbedService, PoisonError } from './embed.service';
import { WorkerMetrics } from './worker.metrics';

/**
 * Worker options are fixed when the decorator runs, so they come from the one config loader here.
 * Concurrency is what fills the engine's batches: the batcher coalesces what concurrent jobs submit.
 */
function embedWorkerOptions() {
  const env = loadPipelineEnv();
  return {
    concurrency: env.CLIPGUARD_WORKER_CONCURRENCY,
    lockDuration: env.CLIPGUARD_LOCK_DURATION_MS,
    stalledInterval: env.CLIPGUARD_STALLED_INTERVAL_MS,
    maxStalledCount: 3,
  };
}

/** Thin: parse, call the service, record permanent failures; transient errors rethrow for BullMQ's retry. */
@Processor(QUEUES.embed, embedWorkerOptions())
export class EmbedProcessor extends WorkerHost {
  constructor(
    private readonly service: EmbedService,
    private readonly metrics: WorkerMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  async process(job: Job): Promise<void> {
    const { submissionId } = parseJob('embed', job);
    const started = Date.now();
    if (job.processedOn) this.metrics.queueWait.observe((job.processedOn - job.timestamp) / 1000);
    try {
      await this.service.embed(submissionId, String(job.id));
      this.metrics.jobSeconds.observe({ outcome: 'ok' }, (Date.now() - started) / 1000);
    } catch (err) {
      this.metrics.jobSeconds.observe({ outcome: 'error' }, (Date.now() - started) / 1000);
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (err instanceof PoisonError || last) {
        const code = err instanceof PoisonError ? err.code : 'EMBED_FAILED';
        const message = err instanceof Error ? err.message : String(err);
        await this.service.fail(submissionId, code, message);
        this.logger.warn({ submissionId, jobId: job.id, code }, `submission failed: ${message}`);
      }
      throw err;
    }
  }

  /** Redis trouble surfaces here; without a listener it would be an unhandled 'error' event. */
  @OnWorkerEvent('error')
  onError(err: Error): void {
    this.logger.warn({ err: err.message }, 'embed worker error');
  }
}
