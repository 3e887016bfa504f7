import { ApiError, type WebhookBody } from '@clipguard/contracts';
import { JobProducer } from '@clipguard/queue';
import { SubmissionRepository } from '@clipguard/storage';
import { MemoryBlobStore, deferred, fakeSubmission, mockOf, silentLogger, testEnv } from '@clipguard/testing';
import { ReconcilerService } from '../reconciler/reconciler.service';
import { SubmissionService } from './submission.service';

const ID = '0b6f5c1e-9d1a-4c3e-8a57-2f4e6d8c9b10';

function newTestService(env: Record<string, string> = {}) {
  const mocks = {
    submissions: mockOf(SubmissionRepository),
    producer: mockOf(JobProducer),
    reconciler: mockOf(ReconcilerService),
    blobs: new MemoryBlobStore(),
  };
  mocks.submissions.insert.mockImplementation((_s, id) => Promise.resolve({ id, inserted: true }));
  mocks.producer.enqueue.mockResolvedValue(ID);
  const sut = new SubmissionService(
    mocks.submissions,
    mocks.producer,
    mocks.reconciler,
    mocks.blobs,
    testEnv({ CLIPGUARD_MAX_IMAGE_BYTES: '16', CLIPGUARD_ENQUEUE_TIMEOUT_MS: '100', ...env }),
    silentLogger(),
  );
  return { sut, mocks };
}

const body = (content: WebhookBody['content'], extra: Partial<WebhookBody> = {}): WebhookBody => ({
  event_id: 'evt-1',
  content,
  metadata: { user_id: 'u1' },
  priority: 'normal',
  ...extra,
});
const base64 = (bytes: Buffer) => ({ base64: bytes.toString('base64') });

const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
};

describe('SubmissionService.accept', () => {
  it('stores an inline image as a blob, commits the row with its key, then enqueues and marks it', async () => {
    const { sut, mocks } = newTestService();
    const bytes = Buffer.from('tiny image bytes');

    const res = await sut.accept('acme', body(base64(bytes), { priority: 'high' }), 'msg_1');

    const [row, id] = mocks.submissions.insert.mock.calls[0];
    expect(res).toEqual({ submissionId: id, duplicate: false });
    const blobKey = row.blobKey as string;
    expect(mocks.blobs.blobs.get(blobKey)).toEqual(bytes);
    expect(row).toMatchObject({
      tenant: 'acme',
      eventId: 'evt-1',
      webhookId: 'msg_1',
      contentUrl: null,
      metadata: { user_id: 'u1' },
      priority: 'high',
    });
    expect(mocks.producer.enqueue).toHaveBeenCalledWith('embed', { v: 1, submissionId: id }, { priority: 1 });
    expect(mocks.submissions.markEnqueued).toHaveBeenCalledWith(id);
    expect(mocks.submissions.insert.mock.invocationCallOrder[0]).toBeLessThan(
      mocks.producer.enqueue.mock.invocationCallOrder[0],
    );
  });

  it('keeps an https URL to be fetched by the worker, storing no blob', async () => {
    const { sut, mocks } = newTestService();

    await sut.accept('acme', body({ url: 'https://cdn.example.com/a.png' }));

    expect(mocks.submissions.insert.mock.calls[0][0]).toMatchObject({
      blobKey: null,
      contentUrl: 'https://cdn.example.com/a.png',
    });
    expect(mocks.blobs.blobs.size).toBe(0);
  });

  it('refuses an image over the configured limit with IMAGE_TOO_LARGE, storing nothing', async () => {
    const { sut, mocks } = newTestService();

    const err = await refusal(sut.accept('acme', body(base64(Buffer.alloc(17)))));

    expect(err.code).toBe('IMAGE_TOO_LARGE');
    expect(err.status).toBe(413);
    expect(mocks.submissions.insert).not.toHaveBeenCalled();
    expect(mocks.blobs.blobs.size).toBe(0);
  });

  it('accepts an image of exactly the limit', async () => {
    const { sut } = newTestService();
    await expect(sut.accept('acme', body(base64(Buffer.alloc(16))))).resolves.toMatchObject({
      duplicate: false,
    });
  });

  it.each(['http://cdn.example.com/a.png', 'ftp://cdn.example.com/a.png'])(
    'refuses %s with CONTENT_URL_REJECTED',
    async (url) => {
      const { sut, mocks } = newTestService();

      const err = await refusal(sut.accept('acme', body({ url })));

      expect(err.code).toBe('CONTENT_URL_REJECTED');
      expect(mocks.submissions.insert).not.toHaveBeenCalled();
    },
  );

  it('takes an http URL only when CLIPGUARD_FETCH_ALLOW_HTTP is set', async () => {
    const { sut, mocks } = newTestService({ CLIPGUARD_FETCH_ALLOW_HTTP: 'true' });

    await sut.accept('acme', body({ url: 'http://cdn.example.com/a.png' }));

    expect(mocks.submissions.insert.mock.calls[0][0].contentUrl).toBe('http://cdn.example.com/a.png');
  });
});

describe('SubmissionService.accept with a repeated event', () => {
  it('returns the stored submission id and enqueues nothing new', async () => {
    const { sut, mocks } = newTestService();
    mocks.submissions.insert.mockResolvedValue({ id: ID, inserted: false });
    mocks.submissions.find.mockResolvedValue(fakeSubmission({ id: ID, status: 'decided' }));

    const res = await sut.accept('acme', body(base64(Buffer.from('x'))));

    expect(res).toEqual({ submissionId: ID, duplicate: true });
    expect(mocks.producer.enqueue).not.toHaveBeenCalled();
    expect(mocks.submissions.markEnqueued).not.toHaveBeenCalled();
    expect(mocks.reconciler.reconcileSubmission).not.toHaveBeenCalled();
  });

  it('re-drives a submission that is stuck unfinished', async () => {
    const { sut, mocks } = newTestService();
    const stuck = fakeSubmission({ id: ID, status: 'deciding', enqueued_at: new Date() });
    mocks.submissions.insert.mockResolvedValue({ id: ID, inserted: false });
    mocks.submissions.find.mockResolvedValue(stuck);
    mocks.reconciler.reconcileSubmission.mockResolvedValue('redriven');

    const res = await sut.accept('acme', body(base64(Buffer.from('x'))));

    expect(res).toEqual({ submissionId: ID, duplicate: true });
    expect(mocks.reconciler.reconcileSubmission).toHaveBeenCalledWith(stuck);
  });

  it('still answers with the id when the re-drive fails', async () => {
    const { sut, mocks } = newTestService();
    mocks.submissions.insert.mockResolvedValue({ id: ID, inserted: false });
    mocks.submissions.find.mockResolvedValue(fakeSubmission({ id: ID }));
    mocks.reconciler.reconcileSubmission.mockRejectedValue(new Error('redis away'));

    await expect(sut.accept('acme', body(base64(Buffer.from('x'))))).resolves.toEqual({
      submissionId: ID,
      duplicate: true,
    });
  });
});

describe('SubmissionService.accept when Redis does not take the job', () => {
  it('accepts the committed submission when the enqueue fails, leaving it unmarked for the reconciler', async () => {
    const { sut, mocks } = newTestService();
    mocks.producer.enqueue.mockRejectedValue(new Error('Connection is closed.'));

    const res = await sut.accept('acme', body(base64(Buffer.from('x'))));

    expect(res.duplicate).toBe(false);
    expect(mocks.submissions.insert).toHaveBeenCalledTimes(1);
    expect(mocks.submissions.markEnqueued).not.toHaveBeenCalled();
  });

  it('accepts it when the enqueue does not finish within CLIPGUARD_ENQUEUE_TIMEOUT_MS', async () => {
    const { sut, mocks } = newTestService();
    const never = deferred<string>();
    mocks.producer.enqueue.mockReturnValue(never.promise);

    const res = await sut.accept('acme', body(base64(Buffer.from('x'))));

    expect(res.duplicate).toBe(false);
    expect(mocks.submissions.markEnqueued).not.toHaveBeenCalled();
  });
});
