import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { QUEUES } from '@clipguard/contracts';
import { CallbackRepository, DecisionRepository, SubmissionRepository } from '@clipguard/storage';
import { ReconcilerService } from '../reconciler/reconciler.service';

/** What an operator watches: requests, queue depth, unfinished work, verdicts and callbacks (from Postgres). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly requests: Counter<'route' | 'status'>;
  readonly latency: Histogram<'route'>;

  constructor(
    decisions: DecisionRepository,
    callbacks: CallbackRepository,
    submissions: SubmissionRepository,
    reconciler: ReconcilerService,
    @InjectQueue(QUEUES.embed) embed: Queue,
    @InjectQueue(QUEUES.decide) decide: Queue,
    @InjectQueue(QUEUES.callback) callback: Queue,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'clipguard_http_requests_total',
      help: 'HTTP requests',
      labelNames: ['route', 'status'],
      registers,
    });
    this.latency = new Histogram({
      name: 'clipguard_http_request_seconds',
      help: 'HTTP latency',
      labelNames: ['route'],
      registers,
    });
    const queues = { embed, decide, callback };
    const gauge = <L extends string>(
      name: string,
      help: string,
      labelNames: L[],
      collect: (g: Gauge<L>) => Promise<void>,
    ) =>
      new Gauge<L>({
        name,
        help,
        labelNames,
        registers,
        async collect() {
          await collect(this);
        },
      });
    gauge('clipguard_queue_jobs', 'jobs per queue and state', ['queue', 'state'], async (g) => {
      for (const [name, q] of Object.entries(queues)) {
        const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
        for (const [state, n] of Object.entries(counts)) g.set({ queue: name, state }, n);
      }
    });
    gauge('clipguard_decisions', 'stored decisions by verdict (live policy)', ['verdict'], async (g) => {
      for (const [verdict, n] of Object.entries(await decisions.countByVerdict())) g.set({ verdict }, n);
    });
    gauge('clipguard_callbacks', 'callback deliveries by status', ['status'], async (g) => {
      for (const [status, n] of Object.entries(await callbacks.countByStatus())) g.set({ status }, n);
    });
    gauge('clipguard_unfinished_submissions', 'submissions not yet decided or failed', [], async (g) => {
      g.set((await submissions.unfinishedSummary()).count);
    });
    gauge('clipguard_unfinished_oldest_seconds', 'age of the oldest unfinished submission', [], async (g) => {
      g.set((await submissions.unfinishedSummary()).oldestSeconds);
    });
    gauge(
      'clipguard_reconciled',
      'work found by the last reconcile pass, by kind and outcome',
      ['kind', 'outcome'],
      (g) => {
        const last = reconciler.last;
        if (last) {
          for (const [outcome, n] of Object.entries(last.submissions))
            g.set({ kind: 'submission', outcome }, n);
          for (const [outcome, n] of Object.entries(last.callbacks)) g.set({ kind: 'callback', outcome }, n);
        }
        return Promise.resolve();
      },
    );
  }
}
