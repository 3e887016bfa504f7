import type { JobsOptions } from 'bullmq';

/** Retention keeps failed jobs inspectable; completed ones are trimmed. */
const retention = { removeOnComplete: { age: 3600, count: 5000 }, removeOnFail: { age: 7 * 24 * 3600 } };

export const EMBED_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  ...retention,
};
export const DECIDE_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 500 },
  ...retention,
};

/** Attempts so that exponential backoff from `delayMs` covers about `horizonMs` before dead-lettering. */
export function callbackJobOptions(delayMs: number, horizonMs: number): JobsOptions {
  let attempts = 1;
  let total = 0;
  while (total < horizonMs && attempts < 30) {
    total += delayMs * 2 ** (attempts - 1);
    attempts++;
  }
  return { attempts, backoff: { type: 'exponential', delay: delayMs }, ...retention };
}
