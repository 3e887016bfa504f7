import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What an operator watches on a CLIP worker. */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly batchSize = new Histogram({
    name: 'clipguard_encoder_batch_size',
    help: 'images per vision-encoder run',
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [this.registry],
  });
  readonly batchSeconds = new Histogram({
    name: 'clipguard_encoder_batch_seconds',
    help: 'vision-encoder run time',
    registers: [this.registry],
  });
  readonly queueWait = new Histogram({
    name: 'clipguard_embed_queue_wait_seconds',
    help: 'time from enqueue to start',
    registers: [this.registry],
  });
  readonly jobSeconds = new Histogram({
    name: 'clipguard_embed_job_seconds',
    help: 'embed job duration',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  readonly bankMatchSeconds = new Histogram({
    name: 'clipguard_bank_match_seconds',
    help: 'bank matching per image (PDQ hashing included), for tenants with banks',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers: [this.registry],
  });
  readonly bankMatches = new Counter({
    name: 'clipguard_bank_matches_total',
    help: 'images whose verdict a bank match decides, by bank and action',
    labelNames: ['bank', 'action'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
