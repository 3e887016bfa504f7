import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DecisionMetrics } from '../decision.metrics';

/** What the scheduled fairness job found, on the decision service's /metrics: alert on a breach. */
@Injectable()
export class FairnessMetrics {
  readonly alerts: Gauge<'tenant' | 'policy'>;
  readonly psi: Gauge<'tenant' | 'policy' | 'category'>;
  readonly lastRun: Gauge<'tenant' | 'policy'>;

  constructor(metrics: DecisionMetrics) {
    const registers = [metrics.registry];
    this.alerts = new Gauge({
      name: 'clipguard_fairness_alerts',
      help: 'fairness alerts (intervals that exclude parity) in the latest scheduled window; > 0 is a breach',
      labelNames: ['tenant', 'policy'],
      registers,
    });
    this.psi = new Gauge({
      name: 'clipguard_drift_psi',
      help: 'population stability index against the version\'s first week; category "(verdicts)" is the verdict mix',
      labelNames: ['tenant', 'policy', 'category'],
      registers,
    });
    this.lastRun = new Gauge({
      name: 'clipguard_fairness_last_run_timestamp_seconds',
      help: 'end of the window the latest fairness run covered',
      labelNames: ['tenant', 'policy'],
      registers,
    });
  }
}
