import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { describeIssues, type QueueName } from '@clipguard/contracts';
import { JOBS, type JobPayloads, type QueueSettings } from './job-catalogue';

/** Job states in which a job will still run (or is running). */
const LIVE_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

export type JobQueues = { [N in QueueName]: Queue };

/** Typed producer: validates each payload against the catalogue before it reaches Redis. */
export class JobProducer {
  constructor(
    private readonly queues: JobQueues,
    private readonly settings: QueueSettings,
  ) {}

  async enqueue<N extends QueueName>(
    name: N,
    payload: JobPayloads[N],
    extra: { priority?: number } = {},
  ): Promise<string> {
    const def = JOBS[name];
    const data = def.schema.parse(payload);
    const jobId = def.id(data);
    await this.queues[name].add(def.queue, data, { ...def.options(this.settings), ...extra, jobId });
    return jobId;
  }

  /** Several jobs of one queue in one round trip to Redis, each validated as `enqueue` does; their ids in order. */
  async enqueueMany<N extends QueueName>(name: N, payloads: readonly JobPayloads[N][]): Promise<string[]> {
    if (payloads.length === 0) return [];
    const def = JOBS[name];
    const options = def.options(this.settings);
    const jobs = payloads.map((payload) => {
      const data = def.schema.parse(payload);
      return { name: def.queue, data, opts: { ...options, jobId: def.id(data) } };
    });
    await this.queues[name].addBulk(jobs);
    return jobs.map((j) => j.opts.jobId);
  }

  /** Whether the job with this id is still going to run; false when Redis has no such job or it ended. */
  async isLive(name: QueueName, jobId: string): Promise<boolean> {
    return LIVE_STATES.has(await this.queues[name].getJobState(jobId));
  }

  /**
   * Enqueues again a job whose earlier run ended without its effect reaching Postgres (or that Redis
   * lost): a finished job with the same id is removed first, since BullMQ ignores an add for an id it holds.
   */
  async redrive<N extends QueueName>(
    name: N,
    payload: JobPayloads[N],
    extra: { priority?: number } = {},
  ): Promise<string> {
    const jobId = JOBS[name].id(JOBS[name].schema.parse(payload));
    const state = await this.queues[name].getJobState(jobId);
    if (state === 'completed' || state === 'failed') await this.queues[name].remove(jobId);
    return this.enqueue(name, payload, extra);
  }
}

/** The payload of a job of this queue, or an UnrecoverableError naming what is wrong (never retried). */
export function parseJob<N extends QueueName>(name: N, job: Job): JobPayloads[N] {
  const parsed = JOBS[name].schema.safeParse(job.data);
  if (!parsed.success)
    throw new UnrecoverableError(
      `${name} job ${job.id} has an invalid payload: ${describeIssues(parsed.error)}`,
    );
  return parsed.data;
}
