import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { QUEUES } from '@clipguard/contracts';
import type { TenantsFile } from '@clipguard/config';
import { TENANTS } from '@clipguard/infra';
import {
  CallbackRepository,
  DecisionRepository,
  ReviewQueueRepository,
  ReviewStatsRepository,
  SubmissionRepository,
} from '@clipguard/storage';
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
    reviewQueue: ReviewQueueRepository,
    reviewStats: ReviewStatsRepository,
    @Inject(TENANTS) tenants: TenantsFile,
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
    const allTenants = Object.keys(tenants.tenants);
    gauge(
      'clipguard_review_queue_depth',
      'pending review items per queue and tenant',
      ['queue', 'tenant'],
      async (g) => {
        g.reset();
        for (const r of await reviewQueue.summaries(allTenants))
          g.set({ queue: r.queue, tenant: r.tenant }, Number(r.depth));
      },
    );
    gauge(
      'clipguard_review_queue_oldest_seconds',
      'age of the oldest pending item per queue and tenant',
      ['queue', 'tenant'],
      async (g) => {
        g.reset();
        for (const r of await reviewQueue.summaries(allTenants))
          g.set({ queue: r.queue, tenant: r.tenant }, Number(r.oldest_age_seconds));
      },
    );
    gauge(
      'clipguard_review_time_to_decision_seconds',
      'review time to decision over 14 days',
      ['quantile'],
      async (g) => {
        const t = await reviewStats.timeToDecision(allTenants, 14);
        for (const [q, v] of [
          ['0.5', t.p50],
          ['0.9', t.p90],
          ['0.99', t.p99],
        ] as const)
          if (v !== null) g.set({ quantile: q }, Number(v));
      },
    );
    gauge(
      'clipguard_qa_agreement',
      'share of QA samples where the moderator agreed with the automatic verdict (14 days)',
      ['category'],
      async (g) => {
        for (const r of await reviewStats.qaAgreement(allTenants, 14))
          if (r.agreement !== null) g.set({ category: r.category }, Number(r.agreement));
      },
    );
    gauge(
      'clipguard_appeal_overturn_rate',
      'share of decided appeals overturned (14 days)',
      [],
      async (g) => {
        const a = await reviewStats.appeals(allTenants, 14);
        if (Number(a.decided) > 0) g.set(Number(a.overturned) / Number(a.decided));
      },
    );
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
