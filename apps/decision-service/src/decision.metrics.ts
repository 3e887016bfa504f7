import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What an operator watches on the decision service. */
export class DecisionMetrics {
  readonly registry = new Registry();
  readonly verdicts = new Counter({
    name: 'clipguard_verdicts_total',
    help: 'live decisions by verdict',
    labelNames: ['verdict'],
    registers: [this.registry],
  });
  readonly categories = new Counter({
    name: 'clipguard_flagged_categories_total',
    help: 'live decisions by flagged category',
    labelNames: ['category'],
    registers: [this.registry],
  });
  readonly callbacks = new Counter({
    name: 'clipguard_callbacks_total',
    help: 'callback attempts by outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  /** Live category scores per tenant and policy version: their distribution over time shows drift. */
  readonly scores = new Histogram({
    name: 'clipguard_category_score',
    help: 'category scores of live decisions, per tenant and policy version',
    labelNames: ['tenant', 'policy', 'category'],
    buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
    registers: [this.registry],
  });
  readonly endToEnd = new Histogram({
    name: 'clipguard_decision_latency_seconds',
    help: 'from webhook accepted to decision stored',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  /** Decide jobs written per transaction: near 1 means the service is idle or the wait too short. */
  readonly decideBatch = new Histogram({
    name: 'clipguard_decide_batch_size',
    help: 'decide jobs written in one transaction',
    buckets: [1, 2, 4, 8, 16, 32],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
