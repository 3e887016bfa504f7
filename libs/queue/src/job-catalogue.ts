import type { JobsOptions } from 'bullmq';
import type { ZodType } from 'zod';
import {
  QUEUES,
  callbackJobSchema,
  decideJobSchema,
  embedJobSchema,
  type CallbackJob,
  type DecideJob,
  type EmbedJob,
  type QueueName,
} from '@clipguard/contracts';
import { DECIDE_JOB_OPTIONS, EMBED_JOB_OPTIONS, callbackJobOptions } from './job-options';

export interface JobPayloads {
  embed: EmbedJob;
  decide: DecideJob;
  callback: CallbackJob;
}

/** What job options depend on (callback retries follow the configured backoff and horizon). */
export interface QueueSettings {
  callbackBackoffMs: number;
  callbackHorizonMs: number;
}

export interface JobDefinition<P> {
  queue: string;
  schema: ZodType<P>;
  /** Deterministic, so re-deliveries and re-enqueues collapse (BullMQ ids may not contain ":"). */
  id: (payload: P) => string;
  options: (settings: QueueSettings) => JobsOptions;
}

/** The one job catalogue: each queue with its payload schema, job id and options, side by side. */
export const JOBS: { [N in QueueName]: JobDefinition<JobPayloads[N]> } = {
  embed: {
    queue: QUEUES.embed,
    schema: embedJobSchema,
    id: (p) => p.submissionId,
    options: () => EMBED_JOB_OPTIONS,
  },
  decide: {
    queue: QUEUES.decide,
    schema: decideJobSchema,
    id: (p) => `decide-${p.submissionId}-v${p.live.version}`,
    options: () => DECIDE_JOB_OPTIONS,
  },
  callback: {
    queue: QUEUES.callback,
    schema: callbackJobSchema,
    id: (p) => `callback-${p.deliveryId}`,
    options: (s) => callbackJobOptions(s.callbackBackoffMs, s.callbackHorizonMs),
  },
};

export const QUEUE_NAMES = Object.keys(JOBS) as QueueName[];
