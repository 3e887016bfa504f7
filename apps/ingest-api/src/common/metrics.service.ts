import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Kysely } from 'kysely';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { QUEUES } from '@clipguard/contracts';
import type { Database } from '@clipguard/storage';
import { DB } from './tokens';

/** What an operator watches: requests, queue depth, verdicts and callback outcomes (from Postgres, the record). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly requests: Counter<'route' | 'status'>;
  readonly latency: Histogram<'route'>;

  constructor(
    @Inject(DB) db: Kysely<Database>,
    @InjectQueue(QUEUES.embed) embed: Queue,
    @InjectQueue(QUEUES.decide) decide: Queue,
    @InjectQueue(QUEUES.callback) callback: Queue,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'clipguard_http_requests_total',
      help: 'HTTP requests',
      labelNames: ['route', 'status'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'clipguard_http_request_seconds',
      help: 'HTTP latency',
      labelNames: ['route'],
      registers: [this.registry],
    });
    const queues = { embed, decide, callback };
    new Gauge({
      name: 'clipguard_queue_jobs',
      help: 'jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        for (const [name, q] of Object.entries(queues)) {
          const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
          for (const [state, n] of Object.entries(counts)) this.set({ queue: name, state }, n);
        }
      },
    });
    new Gauge({
      name: 'clipguard_decisions',
      help: 'stored decisions by verdict (live policy)',
      labelNames: ['verdict'],
      registers: [this.registry],
      async collect() {
        const rows = await db
          .selectFrom('decisions')
          .select(['verdict', db.fn.countAll<string>().as('n')])
          .where('shadow', '=', false)
          .groupBy('verdict')
          .execute();
        for (const r of rows) this.set({ verdict: r.verdict }, Number(r.n));
      },
    });
    new Gauge({
      name: 'clipguard_callbacks',
      help: 'callback deliveries by status',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const rows = await db
          .selectFrom('callback_deliveries')
          .select(['status', db.fn.countAll<string>().as('n')])
          .groupBy('status')
          .execute();
        for (const r of rows) this.set({ status: r.status }, Number(r.n));
      },
    });
  }
}
