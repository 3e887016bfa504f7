import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { QUEUES } from '@clipguard/contracts';
import { REDIS } from '@clipguard/infra';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { HealthRepository, SubmissionRepository } from '@clipguard/storage';
import { FairnessStatusService } from '../fairness/fairness-status.service';
import { ReconcilerService } from '../reconciler/reconciler.service';

export interface Readiness {
  ok: boolean;
  checks: Record<string, unknown>;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Ready when Postgres and Redis answer; also what an operator wants to see of the work in flight. */
@Injectable()
export class HealthService {
  constructor(
    private readonly health: HealthRepository,
    private readonly submissions: SubmissionRepository,
    private readonly reconciler: ReconcilerService,
    private readonly fairness: FairnessStatusService,
    @Inject(REDIS) private readonly redis: Redis,
    @InjectQueue(QUEUES.embed) private readonly embed: Queue,
  ) {}

  async readiness(): Promise<Readiness> {
    const checks: Record<string, unknown> = {};
    let ok = true;
    try {
      await this.health.ping();
      checks.postgres = 'ok';
      // The record's view: unfinished work and the oldest of it, whatever Redis holds.
      checks.unfinished = await this.submissions.unfinishedSummary();
    } catch (err) {
      ok = false;
      checks.postgres = message(err);
    }
    try {
      checks.redis = await this.redis.ping();
      // A worker consumes only once its model is loaded: connected workers stand for "models loaded".
      checks.clip_workers = (await this.embed.getWorkers()).length;
      const waiting = await this.embed.getWaiting(0, 0);
      checks.queue = {
        counts: await this.embed.getJobCounts('waiting', 'active', 'delayed', 'failed'),
        oldest_wait_ms: waiting[0] ? Date.now() - waiting[0].timestamp : 0,
      };
    } catch (err) {
      ok = false;
      checks.redis = message(err);
    }
    checks.reconciler = this.reconciler.last ?? null;
    // A fairness breach or drift is for an operator to see and alert on; it does not make the API unready.
    checks.fairness = await this.fairness.status().catch((err: unknown) => message(err));
    return { ok, checks };
  }
}
