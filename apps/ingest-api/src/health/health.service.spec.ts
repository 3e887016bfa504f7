import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { HealthRepository, SubmissionRepository } from '@clipguard/storage';
import { mockOf } from '@clipguard/testing';
import { FairnessStatusService } from '../fairness/fairness-status.service';
import { ReconcilerService } from '../reconciler/reconciler.service';
import { HealthService } from './health.service';

function newTestService() {
  const mocks = {
    health: mockOf(HealthRepository),
    submissions: mockOf(SubmissionRepository),
    reconciler: mockOf(ReconcilerService),
    fairness: { status: jest.fn().mockResolvedValue([]) },
    redis: { ping: jest.fn().mockResolvedValue('PONG') },
    embed: {
      getWorkers: jest.fn().mockResolvedValue([{}, {}]),
      getWaiting: jest.fn().mockResolvedValue([{ timestamp: Date.now() - 1500 }]),
      getJobCounts: jest.fn().mockResolvedValue({ waiting: 4, active: 2, delayed: 0, failed: 1 }),
    },
  };
  mocks.health.ping.mockResolvedValue(undefined);
  mocks.submissions.unfinishedSummary.mockResolvedValue({ count: 6, oldestSeconds: 12 });
  mocks.reconciler.last = {
    at: '2026-01-01T00:00:00.000Z',
    submissions: { live: 1, enqueued: 0, redriven: 2, exhausted: 0 },
    callbacks: { live: 0, redriven: 0 },
  };
  const sut = new HealthService(
    mocks.health,
    mocks.submissions,
    mocks.reconciler,
    mocks.fairness as unknown as FairnessStatusService,
    mocks.redis as unknown as Redis,
    mocks.embed as unknown as Queue,
  );
  return { sut, mocks };
}

describe('HealthService.readiness', () => {
  it('is ready with the record, the queue and the workers in its checks', async () => {
    const { sut, mocks } = newTestService();

    const { ok, checks } = await sut.readiness();

    expect(ok).toBe(true);
    expect(checks).toMatchObject({
      postgres: 'ok',
      unfinished: { count: 6, oldestSeconds: 12 },
      redis: 'PONG',
      clip_workers: 2,
      queue: { counts: { waiting: 4, active: 2, delayed: 0, failed: 1 } },
      reconciler: mocks.reconciler.last,
    });
    expect((checks.queue as { oldest_wait_ms: number }).oldest_wait_ms).toBeGreaterThanOrEqual(1500);
  });

  it('is not ready when Postgres fails, and keeps every other check', async () => {
    const { sut, mocks } = newTestService();
    mocks.health.ping.mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:5432'));

    const { ok, checks } = await sut.readiness();

    expect(ok).toBe(false);
    expect(checks).toMatchObject({
      postgres: 'connect ECONNREFUSED 127.0.0.1:5432',
      redis: 'PONG',
      clip_workers: 2,
      reconciler: mocks.reconciler.last,
    });
    expect(checks.queue).toBeDefined();
  });

  it('is not ready when Redis fails, and keeps the record and the reconciler checks', async () => {
    const { sut, mocks } = newTestService();
    mocks.redis.ping.mockRejectedValue(new Error("Stream isn't writeable"));

    const { ok, checks } = await sut.readiness();

    expect(ok).toBe(false);
    expect(checks).toMatchObject({
      postgres: 'ok',
      unfinished: { count: 6, oldestSeconds: 12 },
      redis: "Stream isn't writeable",
      reconciler: mocks.reconciler.last,
    });
  });

  it('reports an empty queue as no wait', async () => {
    const { sut, mocks } = newTestService();
    mocks.embed.getWaiting.mockResolvedValue([]);

    const { checks } = await sut.readiness();

    expect(checks.queue).toMatchObject({ oldest_wait_ms: 0 });
  });

  it('shows a fairness breach in the details without making the API unready', async () => {
    const { sut, mocks } = newTestService();
    const breach = {
      tenant: 'acme',
      policy: 'default@v1',
      last: { alerts: 2, breach: true },
      drifted: ['red'],
    };
    mocks.fairness.status.mockResolvedValue([breach]);
    expect(await sut.readiness()).toMatchObject({ ok: true, checks: { fairness: [breach] } });

    mocks.fairness.status.mockRejectedValue(new Error('relation "audit_log" does not exist'));
    expect(await sut.readiness()).toMatchObject({
      ok: true,
      checks: { fairness: 'relation "audit_log" does not exist' },
    });
  });
});
