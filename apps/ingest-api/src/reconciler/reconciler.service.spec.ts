import { JobProducer } from '@clipguard/queue';
import { CallbackRepository, SubmissionRepository, type Submission } from '@clipguard/storage';
import { deferred, fakeSubmission, mockOf, silentLogger, testEnv } from '@clipguard/testing';
import { ReconcilerService } from './reconciler.service';

const SUB = '1a2b3c4d-0000-4000-8000-000000000001';
const DELIVERY = '1a2b3c4d-0000-4000-8000-0000000000d1';

const read = new Map<string, Submission>();
/** The row as the reconciler's pass read it (and, unless a test changes it, as it still is). */
function asRead(overrides: Partial<Submission>): Submission {
  const s = fakeSubmission(overrides);
  read.set(s.id, s);
  return s;
}

function newTestService(settings: Record<string, string> = {}) {
  const mocks = {
    submissions: mockOf(SubmissionRepository),
    callbacks: mockOf(CallbackRepository),
    producer: mockOf(JobProducer),
  };
  mocks.producer.isLive.mockResolvedValue(false);
  // Unless a test says otherwise, nothing touched the row since the reconciler read it.
  mocks.submissions.find.mockImplementation((id) => Promise.resolve(read.get(id)));
  mocks.submissions.listUnfinished.mockResolvedValue([]);
  mocks.callbacks.listPending.mockResolvedValue([]);
  const env = testEnv({ CLIPGUARD_MAX_REDRIVES: '3', CLIPGUARD_SWEEP_GRACE_MS: '7000', ...settings });
  const sut = new ReconcilerService(mocks.submissions, mocks.callbacks, mocks.producer, env, silentLogger());
  return { sut, mocks };
}

const enqueuedLongAgo = { enqueued_at: new Date(Date.now() - 60_000) };

describe('ReconcilerService.reconcileSubmission', () => {
  it('leaves a submission whose embed job is still live alone', async () => {
    const { sut, mocks } = newTestService();
    mocks.producer.isLive.mockImplementation((queue, id) => Promise.resolve(queue === 'embed' && id === SUB));

    expect(await sut.reconcileSubmission(asRead({ id: SUB, ...enqueuedLongAgo }))).toBe('live');
    expect(mocks.producer.enqueue).not.toHaveBeenCalled();
    expect(mocks.producer.redrive).not.toHaveBeenCalled();
    expect(mocks.submissions.countRedrive).not.toHaveBeenCalled();
  });

  it('leaves a deciding submission whose decide job is still live alone', async () => {
    const { sut, mocks } = newTestService();
    mocks.producer.isLive.mockImplementation((queue, id) =>
      Promise.resolve(queue === 'decide' && id === 'decide-x-v1'),
    );
    const s = asRead({
      id: SUB,
      status: 'deciding',
      decide_job_id: 'decide-x-v1',
      ...enqueuedLongAgo,
    });

    expect(await sut.reconcileSubmission(s)).toBe('live');
    expect(mocks.producer.redrive).not.toHaveBeenCalled();
  });

  it('enqueues a submission that was committed but never enqueued, and marks it', async () => {
    const { sut, mocks } = newTestService();

    const outcome = await sut.reconcileSubmission(asRead({ id: SUB, priority: 'low' }));

    expect(outcome).toBe('enqueued');
    expect(mocks.producer.enqueue).toHaveBeenCalledWith(
      'embed',
      { v: 1, submissionId: SUB },
      { priority: 10 },
    );
    expect(mocks.submissions.markEnqueued).toHaveBeenCalledWith(SUB);
    expect(mocks.submissions.countRedrive).not.toHaveBeenCalled();
  });

  it('counts a re-drive and re-drives a submission whose job went missing', async () => {
    const { sut, mocks } = newTestService();
    mocks.submissions.countRedrive.mockResolvedValue(true);
    const s = asRead({ id: SUB, status: 'embedding', redrives: 1, ...enqueuedLongAgo });

    expect(await sut.reconcileSubmission(s)).toBe('redriven');
    expect(mocks.submissions.countRedrive).toHaveBeenCalledWith(SUB, 1);
    expect(mocks.producer.redrive).toHaveBeenCalledWith(
      'embed',
      { v: 1, submissionId: SUB },
      { priority: 5 },
    );
    expect(mocks.submissions.countRedrive.mock.invocationCallOrder[0]).toBeLessThan(
      mocks.producer.redrive.mock.invocationCallOrder[0],
    );
  });

  it('does nothing when another reconciler claimed the re-drive first', async () => {
    const { sut, mocks } = newTestService();
    mocks.submissions.countRedrive.mockResolvedValue(false);

    const outcome = await sut.reconcileSubmission(asRead({ id: SUB, ...enqueuedLongAgo }));

    expect(outcome).toBe('live');
    expect(mocks.producer.redrive).not.toHaveBeenCalled();
    expect(mocks.producer.enqueue).not.toHaveBeenCalled();
  });

  it('leaves a submission alone whose job finished after the row was read: the worker moved it on', async () => {
    const { sut, mocks } = newTestService();
    mocks.submissions.countRedrive.mockResolvedValue(true);
    const s = asRead({ id: SUB, status: 'embedding', ...enqueuedLongAgo });
    // Between the pass's read and its job check, the worker stored its progress and completed the job.
    mocks.submissions.find.mockResolvedValue({
      ...s,
      status: 'deciding',
      decide_job_id: 'decide-x-v1',
      updated_at: new Date(s.updated_at.getTime() + 5),
    });

    expect(await sut.reconcileSubmission(s)).toBe('live');
    expect(mocks.submissions.countRedrive).not.toHaveBeenCalled();
    expect(mocks.producer.redrive).not.toHaveBeenCalled();
  });

  it('does not fail a submission at the re-drive limit that was touched after it was read', async () => {
    const { sut, mocks } = newTestService();
    const s = asRead({ id: SUB, status: 'deciding', redrives: 3, ...enqueuedLongAgo });
    mocks.submissions.find.mockResolvedValue({ ...s, updated_at: new Date(s.updated_at.getTime() + 1) });

    expect(await sut.reconcileSubmission(s)).toBe('live');
    expect(mocks.submissions.markFailed).not.toHaveBeenCalled();
  });

  it('fails a submission with REDRIVE_EXHAUSTED once it reached the re-drive limit', async () => {
    const { sut, mocks } = newTestService();
    const s = asRead({ id: SUB, redrives: 3, ...enqueuedLongAgo });

    expect(await sut.reconcileSubmission(s)).toBe('exhausted');
    expect(mocks.submissions.markFailed).toHaveBeenCalledWith(SUB, 'REDRIVE_EXHAUSTED', expect.any(String));
    expect(mocks.producer.redrive).not.toHaveBeenCalled();
    expect(mocks.submissions.countRedrive).not.toHaveBeenCalled();
  });

  it('still re-drives one below the limit', async () => {
    const { sut, mocks } = newTestService();
    mocks.submissions.countRedrive.mockResolvedValue(true);

    expect(await sut.reconcileSubmission(asRead({ id: SUB, redrives: 2, ...enqueuedLongAgo }))).toBe(
      'redriven',
    );
    expect(mocks.submissions.markFailed).not.toHaveBeenCalled();
  });
});

describe('ReconcilerService.reconcile', () => {
  it('reads unfinished work older than the grace period and reports what it did with each', async () => {
    const { sut, mocks } = newTestService();
    const ids = ['1', '2', '3'].map((n) => `1a2b3c4d-0000-4000-8000-00000000000${n}`);
    mocks.submissions.listUnfinished.mockResolvedValue([
      asRead({ id: ids[0], ...enqueuedLongAgo }),
      asRead({ id: ids[1] }),
      asRead({ id: ids[2], ...enqueuedLongAgo }),
    ]);
    mocks.producer.isLive.mockImplementation((_q, id) => Promise.resolve(id === ids[0]));
    mocks.submissions.countRedrive.mockResolvedValue(true);

    const report = await sut.reconcile();

    expect(mocks.submissions.listUnfinished).toHaveBeenCalledWith(7000, expect.any(Number));
    expect(mocks.callbacks.listPending).toHaveBeenCalledWith(7000, expect.any(Number));
    expect(report.submissions).toEqual({ live: 1, enqueued: 1, redriven: 1, exhausted: 0 });
    expect(sut.last).toBe(report);
  });

  it('re-drives a pending callback whose job is missing and touches it', async () => {
    const { sut, mocks } = newTestService();
    mocks.callbacks.listPending.mockResolvedValue([{ id: DELIVERY, submission_id: SUB, tenant: 'acme' }]);

    const report = await sut.reconcile();

    expect(mocks.producer.isLive).toHaveBeenCalledWith('callback', `callback-${DELIVERY}`);
    expect(mocks.producer.redrive).toHaveBeenCalledWith('callback', { v: 1, deliveryId: DELIVERY });
    expect(mocks.callbacks.touch).toHaveBeenCalledWith(DELIVERY);
    expect(report.callbacks).toEqual({ live: 0, redriven: 1 });
  });

  it('leaves a pending callback whose job is live alone', async () => {
    const { sut, mocks } = newTestService();
    mocks.callbacks.listPending.mockResolvedValue([{ id: DELIVERY, submission_id: SUB, tenant: 'acme' }]);
    mocks.producer.isLive.mockResolvedValue(true);

    const report = await sut.reconcile();

    expect(mocks.producer.redrive).not.toHaveBeenCalled();
    expect(mocks.callbacks.touch).not.toHaveBeenCalled();
    expect(report.callbacks).toEqual({ live: 1, redriven: 0 });
  });
});

describe('ReconcilerService lifecycle', () => {
  it('runs a pass at start-up and schedules none after shutdown', async () => {
    const { sut, mocks } = newTestService({ CLIPGUARD_SWEEP_INTERVAL_MS: '100' });
    const ran = deferred();
    mocks.submissions.listUnfinished.mockImplementation(() => {
      ran.resolve();
      return Promise.resolve([]);
    });

    sut.onApplicationBootstrap();
    await ran.promise;
    sut.onApplicationShutdown();
    // Several sweep intervals: a pass scheduled despite the shutdown would have run by now.
    await new Promise((r) => setTimeout(r, 400));

    expect(mocks.submissions.listUnfinished).toHaveBeenCalledTimes(1);
  });
});
