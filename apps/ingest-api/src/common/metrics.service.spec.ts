import type { Queue } from 'bullmq';
import {
  CallbackRepository,
  DecisionRepository,
  ReviewQueueRepository,
  ReviewStatsRepository,
  SubmissionRepository,
} from '@clipguard/storage';
import { mockOf, testTenants } from '@clipguard/testing';
import { ReconcilerService } from '../reconciler/reconciler.service';
import { MetricsService } from './metrics.service';

const queue = (counts: Record<string, number>) =>
  ({ getJobCounts: jest.fn().mockResolvedValue(counts) }) as unknown as Queue;

function newTestService() {
  const mocks = {
    decisions: mockOf(DecisionRepository),
    callbacks: mockOf(CallbackRepository),
    submissions: mockOf(SubmissionRepository),
    reconciler: mockOf(ReconcilerService),
    reviewQueue: mockOf(ReviewQueueRepository),
    reviewStats: mockOf(ReviewStatsRepository),
  };
  mocks.reviewQueue.summaries.mockResolvedValue([
    { queue: 'review', tenant: 'acme', depth: '3', claimed: '1', oldest_age_seconds: 120 },
    { queue: 'appeal', tenant: 'acme', depth: '1', claimed: '0', oldest_age_seconds: 30 },
  ]);
  mocks.reviewStats.timeToDecision.mockResolvedValue({ p50: 40, p90: 100, p99: null });
  mocks.reviewStats.qaAgreement.mockResolvedValue([{ category: 'red', items: '10', agreement: 0.9 }]);
  mocks.reviewStats.appeals.mockResolvedValue({ decided: '4', overturned: '1' });
  mocks.decisions.countByVerdict.mockResolvedValue({ allow: 7, block: 2 });
  mocks.callbacks.countByStatus.mockResolvedValue({ delivered: 5, dead: 1 });
  mocks.submissions.unfinishedSummary.mockResolvedValue({ count: 4, oldestSeconds: 90 });
  const sut = new MetricsService(
    mocks.decisions,
    mocks.callbacks,
    mocks.submissions,
    mocks.reconciler,
    mocks.reviewQueue,
    mocks.reviewStats,
    testTenants({ acme: {} }),
    queue({ waiting: 3, active: 1 }),
    queue({ waiting: 0, active: 2 }),
    queue({ failed: 6 }),
  );
  return { sut, mocks };
}

/** The value of one gauge series, as a scrape reads it. */
async function value(sut: MetricsService, name: string, labels: Record<string, string> = {}) {
  const metric = sut.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
}

describe('MetricsService', () => {
  it('exposes what leads watch: queue depth and age, time to decision, QA agreement, appeal overturns', async () => {
    const { sut, mocks } = newTestService();
    expect(await value(sut, 'clipguard_review_queue_depth', { queue: 'review', tenant: 'acme' })).toBe(3);
    expect(
      await value(sut, 'clipguard_review_queue_oldest_seconds', { queue: 'appeal', tenant: 'acme' }),
    ).toBe(30);
    expect(await value(sut, 'clipguard_review_time_to_decision_seconds', { quantile: '0.9' })).toBe(100);
    expect(
      await value(sut, 'clipguard_review_time_to_decision_seconds', { quantile: '0.99' }),
    ).toBeUndefined();
    expect(await value(sut, 'clipguard_qa_agreement', { category: 'red' })).toBe(0.9);
    expect(await value(sut, 'clipguard_appeal_overturn_rate')).toBe(0.25);
    expect(mocks.reviewQueue.summaries).toHaveBeenCalledWith(['acme']);
  });

  it('reports jobs per queue and state', async () => {
    const { sut } = newTestService();

    expect(await value(sut, 'clipguard_queue_jobs', { queue: 'embed', state: 'waiting' })).toBe(3);
    expect(await value(sut, 'clipguard_queue_jobs', { queue: 'decide', state: 'active' })).toBe(2);
    expect(await value(sut, 'clipguard_queue_jobs', { queue: 'callback', state: 'failed' })).toBe(6);
  });

  it('reports stored decisions by verdict and callbacks by status, from Postgres', async () => {
    const { sut } = newTestService();

    expect(await value(sut, 'clipguard_decisions', { verdict: 'allow' })).toBe(7);
    expect(await value(sut, 'clipguard_decisions', { verdict: 'block' })).toBe(2);
    expect(await value(sut, 'clipguard_callbacks', { status: 'dead' })).toBe(1);
  });

  it('reports the unfinished submissions and the age of the oldest', async () => {
    const { sut } = newTestService();

    expect(await value(sut, 'clipguard_unfinished_submissions')).toBe(4);
    expect(await value(sut, 'clipguard_unfinished_oldest_seconds')).toBe(90);
  });

  it("reports the last reconcile pass's outcomes, and nothing before the first pass", async () => {
    const { sut, mocks } = newTestService();
    expect(
      await value(sut, 'clipguard_reconciled', { kind: 'submission', outcome: 'redriven' }),
    ).toBeUndefined();

    mocks.reconciler.last = {
      at: new Date().toISOString(),
      submissions: { live: 0, enqueued: 1, redriven: 3, exhausted: 1 },
      callbacks: { live: 0, redriven: 2 },
    };

    expect(await value(sut, 'clipguard_reconciled', { kind: 'submission', outcome: 'redriven' })).toBe(3);
    expect(await value(sut, 'clipguard_reconciled', { kind: 'submission', outcome: 'exhausted' })).toBe(1);
    expect(await value(sut, 'clipguard_reconciled', { kind: 'callback', outcome: 'redriven' })).toBe(2);
  });

  it('exposes everything in the Prometheus text format', async () => {
    const { sut } = newTestService();

    const text = await sut.registry.metrics();

    expect(text).toContain('clipguard_queue_jobs{queue="embed",state="waiting"} 3');
    expect(text).toContain('clipguard_unfinished_oldest_seconds 90');
  });
});
