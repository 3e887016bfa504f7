import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UnrecoverableError } from 'bullmq';
import { BankMatcher, InMemoryBankStore, bankSchema, unitVector } from '@clipguard/banks';
import { ClipError, type ClipEngine } from '@clipguard/clip';
import { decodeFloats, type DecideJob } from '@clipguard/contracts';
import { planPrompts, promptSimilarities, type CompiledPolicy } from '@clipguard/policy';
import { JobProducer } from '@clipguard/queue';
import {
  ContentFetchError,
  EmbeddingRepository,
  LivePolicies,
  PolicyCatalog,
  SubmissionRepository,
  sha256Hex,
} from '@clipguard/storage';
import {
  MemoryBlobStore,
  fakeSubmission,
  mockOf,
  shapesPolicy,
  silentLogger,
  testEnv,
  testTenants,
} from '@clipguard/testing';
import { EmbedService, PoisonError } from './embed.service';
import { WorkerMetrics } from './worker.metrics';

const SUB = '71829304-0000-4000-8000-000000000001';
const DIM = 8;
const IMAGE = Buffer.from('an image of a red circle');

const unit = (i: number) => Float32Array.from({ length: DIM }, (_, j) => (j === i % DIM ? 1 : 0));

/** The fixture policy compiled with made-up prompt embeddings (one-hot), enough to check the similarities. */
function compiled(version: 1 | 2): CompiledPolicy {
  const { policy, hash } = shapesPolicy(version);
  const prompts = planPrompts(policy);
  return { policy, hash, modelId: 'tiny', prompts, embeddings: prompts.map((_, i) => unit(i)) };
}

/** No bank applies to any tenant unless a test passes its own matcher. */
const noBanks = { match: jest.fn().mockResolvedValue(undefined) } as unknown as BankMatcher;

function newTestService(env: Record<string, string> = {}, banks: BankMatcher = noBanks) {
  const catalog = mockOf(PolicyCatalog);
  const policies = { 1: compiled(1), 2: compiled(2) };
  catalog.require.mockImplementation((_id, v) => policies[v as 1 | 2]);
  const tenants = testTenants({
    acme: { policy: { id: 'shapes', version: 1 } },
    shadowed: { policy: { id: 'shapes', version: 1, shadow: 2 } },
  });
  const mocks = {
    submissions: mockOf(SubmissionRepository),
    embeddings: mockOf(EmbeddingRepository),
    producer: mockOf(JobProducer),
    blobs: new MemoryBlobStore(),
    engine: { modelId: 'tiny-model', info: { logitScale: 50 }, embedImage: jest.fn() },
    metrics: new WorkerMetrics(),
  };
  mocks.producer.enqueue.mockResolvedValue('decide-job-1');
  mocks.submissions.startDeciding.mockResolvedValue(true);
  mocks.engine.embedImage.mockResolvedValue({ embeddings: [unit(0), unit(3)], frameIndices: [0, 2] });
  const sut = new EmbedService(
    mocks.submissions,
    mocks.embeddings,
    mocks.producer,
    mocks.blobs,
    mocks.engine as unknown as ClipEngine,
    new LivePolicies(catalog, tenants),
    banks,
    mocks.metrics,
    testEnv({ CLIPGUARD_FRAMES: '3', CLIPGUARD_FETCH_TIMEOUT_MS: '2000', ...env }),
    silentLogger(),
  );
  return { sut, mocks, policies };
}

/** A submission of inline content, stored in the fake blob store. */
async function withBlob(mocks: ReturnType<typeof newTestService>['mocks'], overrides = {}) {
  const blobKey = await mocks.blobs.put(IMAGE);
  mocks.submissions.claimForEmbedding.mockResolvedValue(
    fakeSubmission({ id: SUB, blob_key: blobKey, ...overrides }),
  );
}

const decideJob = (mocks: ReturnType<typeof newTestService>['mocks']) => {
  const [queue, job] = mocks.producer.enqueue.mock.calls[0];
  expect(queue).toBe('decide');
  return job as DecideJob;
};

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );

describe('EmbedService.embed', () => {
  it('encodes the image and enqueues a decide job with its embeddings and live similarities', async () => {
    const { sut, mocks, policies } = newTestService();
    await withBlob(mocks);

    await sut.embed(SUB, 'job-1');

    expect(mocks.submissions.claimForEmbedding).toHaveBeenCalledWith(SUB);
    expect(mocks.engine.embedImage).toHaveBeenCalledWith(IMAGE, { frames: 3, sha256: sha256Hex(IMAGE) });
    const job = decideJob(mocks);
    expect(job).toMatchObject({
      v: 1,
      submissionId: SUB,
      modelId: 'tiny-model',
      logitScale: 50,
      contentSha256: sha256Hex(IMAGE),
      frameIndices: [0, 2],
      live: { policyId: 'shapes', version: 1, hash: policies[1].hash },
      shadow: undefined,
    });
    expect(job.embeddings.map((e) => Array.from(decodeFloats(e)))).toEqual([
      Array.from(unit(0)),
      Array.from(unit(3)),
    ]);
    expect(job.live.similarities).toEqual(promptSimilarities(policies[1], [unit(0), unit(3)]));
    expect(job.live.similarities[1][3]).toBe(1);
  });

  it("scores the tenant's shadow version beside the live one", async () => {
    const { sut, mocks, policies } = newTestService();
    await withBlob(mocks, { tenant: 'shadowed' });

    await sut.embed(SUB, 'job-1');

    expect(decideJob(mocks).shadow).toMatchObject({ version: 2, hash: policies[2].hash });
  });

  it('reuses a stored embedding of the same bytes and model without calling the engine', async () => {
    const { sut, mocks } = newTestService();
    await withBlob(mocks);
    mocks.embeddings.find.mockResolvedValue([unit(5)]);

    await sut.embed(SUB, 'job-1');

    expect(mocks.embeddings.find).toHaveBeenCalledWith(sha256Hex(IMAGE), 'tiny-model');
    expect(mocks.engine.embedImage).not.toHaveBeenCalled();
    const job = decideJob(mocks);
    expect(job.frameIndices).toEqual([0]);
    expect(Array.from(decodeFloats(job.embeddings[0]))).toEqual(Array.from(unit(5)));
  });

  it('enqueues the decide job before moving the status to deciding, with its job id', async () => {
    const { sut, mocks } = newTestService();
    await withBlob(mocks);

    await sut.embed(SUB, 'job-1');

    expect(mocks.submissions.startDeciding).toHaveBeenCalledWith(SUB, sha256Hex(IMAGE), 'decide-job-1');
    expect(mocks.producer.enqueue.mock.invocationCallOrder[0]).toBeLessThan(
      mocks.submissions.startDeciding.mock.invocationCallOrder[0],
    );
  });

  it('does not move the status when the decide job could not be enqueued', async () => {
    const { sut, mocks } = newTestService();
    await withBlob(mocks);
    mocks.producer.enqueue.mockRejectedValue(new Error('Connection is closed.'));

    await expect(sut.embed(SUB, 'job-1')).rejects.toThrow('Connection is closed.');
    expect(mocks.submissions.startDeciding).not.toHaveBeenCalled();
  });

  it('finishes quietly when the guarded status update finds the submission already decided', async () => {
    const { sut, mocks } = newTestService();
    await withBlob(mocks);
    mocks.submissions.startDeciding.mockResolvedValue(false);

    await expect(sut.embed(SUB, 'job-1')).resolves.toBeUndefined();
  });

  it.each(['decided', 'failed'] as const)('does nothing for a %s submission', async (status) => {
    const { sut, mocks } = newTestService();
    await withBlob(mocks, { status });

    await sut.embed(SUB, 'job-1');

    expect(mocks.engine.embedImage).not.toHaveBeenCalled();
    expect(mocks.producer.enqueue).not.toHaveBeenCalled();
    expect(mocks.submissions.startDeciding).not.toHaveBeenCalled();
  });

  it('fails a submission that does not exist as poison', async () => {
    const { sut, mocks } = newTestService();
    mocks.submissions.claimForEmbedding.mockResolvedValue(undefined);

    expect(await rejection(sut.embed(SUB, 'job-1'))).toMatchObject({ code: 'SUBMISSION_NOT_FOUND' });
  });

  it('turns an image the engine refuses into a PoisonError with the engine’s code', async () => {
    const { sut, mocks } = newTestService();
    await withBlob(mocks);
    mocks.engine.embedImage.mockRejectedValue(new ClipError('IMAGE_CORRUPT', 'not a PNG after all'));

    const err = await rejection(sut.embed(SUB, 'job-1'));

    expect(err).toBeInstanceOf(PoisonError);
    expect(err).toBeInstanceOf(UnrecoverableError);
    expect(err).toMatchObject({ code: 'IMAGE_CORRUPT', message: 'not a PNG after all' });
    expect(mocks.producer.enqueue).not.toHaveBeenCalled();
  });

  it("rethrows the engine's own faults for a retry", async () => {
    const { sut, mocks } = newTestService();
    await withBlob(mocks);
    mocks.engine.embedImage.mockRejectedValue(new ClipError('ENGINE_CLOSED', 'engine is closing'));

    const err = await rejection(sut.embed(SUB, 'job-1'));

    expect(err).not.toBeInstanceOf(PoisonError);
    expect(err).toMatchObject({ code: 'ENGINE_CLOSED' });
  });

  it('fails a submission whose blob is gone as poison (CONTENT_MISSING)', async () => {
    const { sut, mocks } = newTestService();
    mocks.submissions.claimForEmbedding.mockResolvedValue(
      fakeSubmission({ id: SUB, blob_key: 'f'.repeat(64) }),
    );

    const err = await rejection(sut.embed(SUB, 'job-1'));

    expect(err).toBeInstanceOf(PoisonError);
    expect(err).toMatchObject({ code: 'CONTENT_MISSING' });
  });
});

describe('EmbedService.embed with banks', () => {
  async function withBank(kind: 'sha256' | 'embedding', action: 'block' | 'allow') {
    const store = new InMemoryBankStore();
    await store.saveBank(
      bankSchema.parse({
        id: 'known',
        title: 'Known images',
        tenants: ['acme'],
        kind,
        action,
        threshold: kind === 'embedding' ? 0.95 : 0,
        ...(kind === 'embedding' && { modelId: 'tiny-model' }),
      }),
    );
    const value =
      kind === 'sha256'
        ? { kind, sha256: sha256Hex(IMAGE) }
        : { kind, vector: unitVector(unit(0)), modelId: 'tiny-model' };
    const entry = {
      id: 'e1',
      bankId: 'known',
      source: 'api',
      addedBy: 'lead',
      addedAt: '',
      note: '',
    } as const;
    await store.addEntry({ ...entry, value });
    return BankMatcher.open(store);
  }

  it.each(['sha256', 'embedding'] as const)(
    'puts a %s bank match, with every bank checked, in the decide job',
    async (kind) => {
      const { sut, mocks } = newTestService({}, await withBank(kind, 'block'));
      await withBlob(mocks);

      await sut.embed(SUB, 'job-1');

      const counted = (await mocks.metrics.bankMatches.get()).values;
      expect(counted).toEqual([
        expect.objectContaining({ labels: { bank: 'known', action: 'block' }, value: 1 }),
      ]);

      const { banks } = decideJob(mocks);
      expect(banks).toMatchObject({
        revision: 2,
        checked: [{ bankId: 'known', kind, revision: 1, entries: 1, matches: 1 }],
        matches: [{ bankId: 'known', bankTitle: 'Known images', entryId: 'e1', action: 'block', kind }],
      });
    },
  );

  it('checks only the tenant’s banks: another tenant’s job carries no bank outcome', async () => {
    const { sut, mocks } = newTestService({}, await withBank('sha256', 'block'));
    await withBlob(mocks, { tenant: 'shadowed' });

    await sut.embed(SUB, 'job-1');

    expect(decideJob(mocks).banks).toBeUndefined();
  });
});

describe('EmbedService.embed with a content URL', () => {
  let server: Server;
  let base = '';
  let status = 200;
  let requests = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests++;
      res.statusCode = status;
      res.end(status === 200 ? IMAGE : 'unavailable');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const local = { CLIPGUARD_FETCH_ALLOW_HTTP: 'true', CLIPGUARD_FETCH_ALLOW_PRIVATE: 'true' };

  it('fetches the image and encodes its bytes', async () => {
    status = 200;
    const { sut, mocks } = newTestService(local);
    mocks.submissions.claimForEmbedding.mockResolvedValue(
      fakeSubmission({ id: SUB, content_url: `${base}/a.png` }),
    );

    await sut.embed(SUB, 'job-1');

    expect(mocks.engine.embedImage).toHaveBeenCalledWith(IMAGE, { frames: 3, sha256: sha256Hex(IMAGE) });
  });

  it('fails a refused URL as poison with the fetcher’s code, without connecting', async () => {
    status = 200;
    const { sut, mocks } = newTestService();
    mocks.submissions.claimForEmbedding.mockResolvedValue(
      fakeSubmission({ id: SUB, content_url: `${base}/a.png` }),
    );
    const before = requests;

    const err = await rejection(sut.embed(SUB, 'job-1'));

    expect(err).toBeInstanceOf(PoisonError);
    expect(err).toMatchObject({ code: 'CONTENT_URL_REJECTED' });
    expect(requests).toBe(before);
    expect(mocks.engine.embedImage).not.toHaveBeenCalled();
  });

  it('rethrows a transient fetch failure (5xx) for a retry, not as poison', async () => {
    status = 503;
    const { sut, mocks } = newTestService(local);
    mocks.submissions.claimForEmbedding.mockResolvedValue(
      fakeSubmission({ id: SUB, content_url: `${base}/a.png` }),
    );

    const err = await rejection(sut.embed(SUB, 'job-1'));

    expect(err).toBeInstanceOf(ContentFetchError);
    expect(err).not.toBeInstanceOf(PoisonError);
    expect(err).toMatchObject({ code: 'CONTENT_FETCH_FAILED', transient: true });
  });
});

describe('EmbedService.fail', () => {
  it('records the failure on the submission', async () => {
    const { sut, mocks } = newTestService();

    await sut.fail(SUB, 'IMAGE_CORRUPT', 'bad bytes');

    expect(mocks.submissions.markFailed).toHaveBeenCalledWith(SUB, 'IMAGE_CORRUPT', 'bad bytes');
  });
});
