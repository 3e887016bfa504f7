import { UnrecoverableError } from 'bullmq';
import { encodeFloats, type DecideJob } from '@clipguard/contracts';
import { planPrompts } from '@clipguard/policy';
import { JobProducer } from '@clipguard/queue';
import { DecisionRepository, PolicyCatalog, SubmissionRepository } from '@clipguard/storage';
import {
  MemoryBlobStore,
  fakeSubmission,
  mockOf,
  shapesPolicy,
  silentLogger,
  testEnv,
  testTenants,
} from '@clipguard/testing';
import { DecisionMetrics } from './decision.metrics';
import { DecisionService } from './decision.service';
import type { PolicyPlan } from './policy-plan';

const SUB = '93a4b5c6-0000-4000-8000-000000000001';
const DELIVERY = '93a4b5c6-0000-4000-8000-0000000000d1';
const SHA = 'ab'.repeat(32);
const plans = { 1: plan(1), 2: plan(2) };

function plan(version: 1 | 2): PolicyPlan {
  const { policy, hash } = shapesPolicy(version);
  return { policy, hash, prompts: planPrompts(policy) };
}

/** Similarities of one frame that match one prompt of the fixture policy well and every other poorly. */
function scored(version: 1 | 2, prompt: string): DecideJob['live'] {
  const p = plans[version];
  return {
    policyId: 'shapes',
    version,
    hash: p.hash,
    similarities: [p.prompts.map((row) => (row.text === prompt ? 0.35 : 0.1))],
  };
}

const embedding = Float32Array.from([0.6, 0.8]);
const job = (live: DecideJob['live'], shadow?: DecideJob['live']): DecideJob => ({
  v: 1,
  submissionId: SUB,
  modelId: 'tiny-model',
  logitScale: 100,
  contentSha256: SHA,
  embeddings: [encodeFloats(embedding)],
  frameIndices: [0],
  live,
  shadow,
  timings: { fetch_ms: 1, encode_ms: 2 },
});

function newTestService(env: Record<string, string> = {}) {
  const mocks = {
    submissions: mockOf(SubmissionRepository),
    decisions: mockOf(DecisionRepository),
    producer: mockOf(JobProducer),
    policies: mockOf(PolicyCatalog<PolicyPlan>),
    metrics: new DecisionMetrics(),
    blobs: new MemoryBlobStore(),
  };
  mocks.policies.get.mockImplementation((id, v) => (id === 'shapes' ? plans[v as 1 | 2] : undefined));
  mocks.submissions.findMany.mockResolvedValue([fakeSubmission({ id: SUB, tenant: 'acme' })]);
  recordsAs(mocks, { inserted: true, pendingDeliveryId: DELIVERY });
  const tenants = testTenants({
    acme: { callback_url: 'https://platform.example/callback' },
    quiet: {},
    banded: { review_bands: { red: [0, 0.5] } },
  });
  const sut = new DecisionService(
    mocks.submissions,
    mocks.decisions,
    mocks.producer,
    mocks.metrics,
    mocks.policies,
    tenants,
    mocks.blobs,
    testEnv(env),
    silentLogger(),
  );
  return { sut, mocks };
}

type Mocks = ReturnType<typeof newTestService>['mocks'];
/** The one outcome written (jobs decided one at a time here: each is a batch of one). */
const recorded = (mocks: Mocks) => {
  expect(mocks.decisions.recordMany).toHaveBeenCalledTimes(1);
  const [items] = mocks.decisions.recordMany.mock.calls[0];
  expect(items).toHaveLength(1);
  return items[0].outcome;
};
/** Every outcome of a batch is recorded as `r`. */
function recordsAs(mocks: Mocks, r: { inserted: boolean; pendingDeliveryId?: string }) {
  mocks.decisions.recordMany.mockImplementation((items) => Promise.resolve(items.map(() => r)));
}
const counter = async (c: { get(): Promise<{ values: { labels: object; value: number }[] }> }) =>
  (await c.get()).values.map((v) => ({ ...v.labels, value: v.value }));

const bankMatch = (action: 'allow' | 'block') => ({
  bankId: `${action}-bank`,
  bankTitle: `Known ${action}`,
  kind: 'pdq' as const,
  action,
  entryId: 'entry-1',
  threshold: 31,
  distance: 6,
  variant: 'original',
});
const withBanks = (j: DecideJob, action?: 'allow' | 'block'): DecideJob => ({
  ...j,
  banks: {
    revision: 7,
    checked: [{ bankId: 'allow-bank', kind: 'pdq', revision: 3, entries: 10, matches: action ? 1 : 0 }],
    matches: action ? [bankMatch(action)] : [],
    pdq: { hash: 'f'.repeat(64), quality: 100 },
    match_ms: 0.4,
  },
});

describe('DecisionService.decide with the banks the worker matched', () => {
  it('an allow-bank match turns a policy block into allow, named first in the reasons', async () => {
    const { sut, mocks } = newTestService({ CLIPGUARD_REVIEW_SAMPLE_RATE: '0' });

    await sut.decide(withBanks(job(scored(1, 'a red circle')), 'allow'), 'job-1');

    const { live, callback, review } = recorded(mocks);
    expect(live.verdict).toBe('allow');
    const body = callback?.payload as { verdict: string; reasons: object[]; banks: object };
    expect(body.verdict).toBe('allow');
    expect(body.reasons[0]).toEqual({
      kind: 'bank',
      bank: 'allow-bank',
      bank_title: 'Known allow',
      entry: 'entry-1',
      match: 'pdq',
      action: 'allow',
      threshold: 31,
      distance: 6,
      variant: 'original',
      verdict: 'allow',
      rule: 'allow-bank-overrides-policy',
    });
    expect(body.reasons[1]).toMatchObject({ category: 'red', verdict: 'block' });
    expect(body.banks).toMatchObject({
      revision: 7,
      checked: [{ bankId: 'allow-bank', revision: 3 }],
      decided_by: 'bank',
      policy_verdict: 'block',
    });
    expect(live.audit).toMatchObject({
      verdict: 'allow',
      banks: { policy_verdict: 'block', winner: { bank: 'allow-bank', entry: 'entry-1' } },
    });
    expect(review).toBeUndefined();
  });

  it('a block-bank match blocks what the policy sent to review, so no review item is made', async () => {
    const { sut, mocks } = newTestService({ CLIPGUARD_REVIEW_SAMPLE_RATE: '0' });

    await sut.decide(withBanks(job(scored(1, 'a green star')), 'block'), 'job-1');

    const outcome = recorded(mocks);
    expect(outcome.live.verdict).toBe('block');
    expect(outcome.review).toBeUndefined();
    expect(outcome.callback?.payload).toMatchObject({
      reasons: [
        { kind: 'bank', bank: 'block-bank', rule: 'block-bank-overrides-policy' },
        { category: 'star' },
      ],
      banks: { policy_verdict: 'review', decided_by: 'bank' },
    });
  });

  it('banks checked without a match leave the policy verdict and reasons, and still say which were checked', async () => {
    const { sut, mocks } = newTestService();

    await sut.decide(withBanks(job(scored(1, 'a green star'))), 'job-1');

    const body = recorded(mocks).callback?.payload as { verdict: string; reasons: object[]; banks: object };
    expect(body.verdict).toBe('review');
    expect(body.reasons).toEqual([expect.objectContaining({ category: 'star' })]);
    expect(body.banks).toMatchObject({ matches: [], decided_by: 'policy', rule: 'policy' });
  });

  it('a job without banks (no bank applies) records no bank fields', async () => {
    const { sut, mocks } = newTestService();

    await sut.decide(job(scored(1, 'a red circle')), 'job-1');

    expect(recorded(mocks).callback?.payload).not.toHaveProperty('banks');
    expect(recorded(mocks).live.audit).not.toHaveProperty('banks');
  });
});

describe('DecisionService.decide', () => {
  it('records the live decision with its embedding and callback in one outcome, then enqueues the callback', async () => {
    const { sut, mocks } = newTestService();

    await sut.decide(job(scored(1, 'a red circle')), 'job-1');

    const outcome = recorded(mocks);
    expect(outcome).toMatchObject({
      submissionId: SUB,
      tenant: 'acme',
      live: {
        verdict: 'block',
        policy: { id: 'shapes', version: 1, hash: plans[1].hash },
        modelId: 'tiny-model',
        audit: { verdict: 'block', content_sha256: SHA },
      },
      shadow: undefined,
      review: undefined,
      embedding: { contentSha256: SHA, modelId: 'tiny-model', frames: 1 },
      callback: { url: 'https://platform.example/callback' },
    });
    expect(outcome.embedding.vectors).toEqual(Buffer.from(embedding.buffer));
    expect(outcome.callback?.payload).toMatchObject({ id: SUB, verdict: 'block', flagged: true });
    expect(mocks.producer.enqueueMany).toHaveBeenCalledWith('callback', [{ v: 1, deliveryId: DELIVERY }]);
  });

  it('records the shadow version through the same outcome, never acting on it', async () => {
    const { sut, mocks } = newTestService();

    await sut.decide(job(scored(1, 'a green star'), scored(2, 'a green star')), 'job-1');

    const outcome = recorded(mocks);
    expect(outcome.live).toMatchObject({ verdict: 'review', policy: { version: 1 } });
    expect(outcome.shadow).toMatchObject({ verdict: 'block', policy: { version: 2 } });
    expect(outcome.callback?.payload).toMatchObject({ verdict: 'review', shadow: { verdict: 'block' } });
    expect(outcome.review?.trigger).toBe('verdict');
  });

  it('leaves out the callback for a tenant without a callback URL', async () => {
    const { sut, mocks } = newTestService();
    mocks.submissions.findMany.mockResolvedValue([fakeSubmission({ id: SUB, tenant: 'quiet' })]);
    recordsAs(mocks, { inserted: true });

    await sut.decide(job(scored(1, 'a red circle')), 'job-1');

    expect(recorded(mocks).callback).toBeUndefined();
    expect(mocks.producer.enqueueMany).not.toHaveBeenCalled();
  });

  it('enqueues no callback when the delivery is no longer pending', async () => {
    const { sut, mocks } = newTestService();
    recordsAs(mocks, { inserted: false, pendingDeliveryId: undefined });

    await sut.decide(job(scored(1, 'a red circle')), 'job-1');

    expect(mocks.producer.enqueueMany).not.toHaveBeenCalled();
  });

  it('counts verdicts and flagged categories only for a newly inserted decision', async () => {
    const { sut, mocks } = newTestService();

    await sut.decide(job(scored(1, 'a red circle')), 'job-1');
    recordsAs(mocks, { inserted: false, pendingDeliveryId: DELIVERY });
    await sut.decide(job(scored(1, 'a red circle')), 'job-1');

    expect(await counter(mocks.metrics.verdicts)).toEqual([{ verdict: 'block', value: 1 }]);
    expect(await counter(mocks.metrics.categories)).toEqual([{ category: 'red', value: 1 }]);
    expect(
      (await mocks.metrics.endToEnd.get()).values.find((v) => v.metricName?.endsWith('_count'))?.value,
    ).toBe(1);
    // The pending delivery is re-enqueued by a re-run job all the same (its earlier enqueue may be lost).
    expect(mocks.producer.enqueueMany).toHaveBeenCalledTimes(2);
  });

  it('does nothing for a failed submission', async () => {
    const { sut, mocks } = newTestService();
    mocks.submissions.findMany.mockResolvedValue([fakeSubmission({ id: SUB, status: 'failed' })]);

    await sut.decide(job(scored(1, 'a red circle')), 'job-1');

    expect(mocks.decisions.recordMany).not.toHaveBeenCalled();
    expect(mocks.producer.enqueueMany).not.toHaveBeenCalled();
  });

  it('refuses a job for a submission that does not exist as unrecoverable', async () => {
    const { sut, mocks } = newTestService();
    mocks.submissions.findMany.mockResolvedValue([]);

    await expect(sut.decide(job(scored(1, 'a red circle')), 'job-1')).rejects.toBeInstanceOf(
      UnrecoverableError,
    );
  });

  it('retries (plain Error) when the policy version is not loaded here yet', async () => {
    const { sut, mocks } = newTestService();
    const unknown = { ...scored(1, 'a red circle'), version: 9 };

    const err = await sut.decide(job(unknown), 'job-1').catch((e: unknown) => e);

    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(UnrecoverableError);
    expect(mocks.decisions.recordMany).not.toHaveBeenCalled();
  });

  it('refuses similarities scored with another content of the same version as unrecoverable', async () => {
    const { sut, mocks } = newTestService();
    const mismatched = { ...scored(1, 'a red circle'), hash: 'f'.repeat(64) };

    await expect(sut.decide(job(mismatched), 'job-1')).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(sut.decide(job(scored(1, 'a red circle'), mismatched), 'job-1')).rejects.toBeInstanceOf(
      UnrecoverableError,
    );
    expect(mocks.decisions.recordMany).not.toHaveBeenCalled();
  });
});

describe('DecisionService batches', () => {
  const ids = ['93a4b5c6-0000-4000-8000-00000000000a', '93a4b5c6-0000-4000-8000-00000000000b'];
  const bad = '93a4b5c6-0000-4000-8000-00000000000c';
  const jobFor = (submissionId: string, live = scored(1, 'a red circle')) => ({
    ...job(live),
    submissionId,
  });

  function batchService() {
    const t = newTestService({ CLIPGUARD_DECIDE_BATCH_WAIT_MS: '20' });
    t.mocks.submissions.findMany.mockImplementation((wanted) =>
      Promise.resolve(wanted.map((id) => fakeSubmission({ id, tenant: 'acme' }))),
    );
    t.mocks.decisions.recordMany.mockImplementation((items) =>
      Promise.resolve(
        items.map((it) => ({ inserted: true, pendingDeliveryId: `delivery-${it.outcome.submissionId}` })),
      ),
    );
    return t;
  }

  it('writes jobs that arrive together in one transaction and enqueues their callbacks at once; a job that cannot be decided fails alone', async () => {
    const { sut, mocks } = batchService();
    const mismatched = { ...scored(1, 'a red circle'), hash: 'f'.repeat(64) };

    const settled = await Promise.allSettled([
      sut.decide(jobFor(ids[0]), 'job-a'),
      sut.decide(jobFor(bad, mismatched), 'job-c'),
      sut.decide(jobFor(ids[1]), 'job-b'),
    ]);

    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(UnrecoverableError);
    expect(mocks.submissions.findMany).toHaveBeenCalledTimes(1);
    expect(mocks.decisions.recordMany).toHaveBeenCalledTimes(1);
    expect(mocks.decisions.recordMany.mock.calls[0][0].map((it) => it.outcome.submissionId)).toEqual(ids);
    expect(mocks.producer.enqueueMany).toHaveBeenCalledTimes(1);
    expect(mocks.producer.enqueueMany).toHaveBeenCalledWith(
      'callback',
      ids.map((id) => ({ v: 1, deliveryId: `delivery-${id}` })),
    );
  });

  it("writes each outcome alone when the batch's transaction fails, so one bad row fails only its job", async () => {
    const { sut, mocks } = batchService();
    mocks.decisions.recordMany.mockRejectedValue(new Error('deadlock detected'));
    mocks.decisions.record.mockImplementation((o) =>
      o.submissionId === ids[0]
        ? Promise.reject(new Error('violates foreign key constraint'))
        : Promise.resolve({ inserted: true, pendingDeliveryId: DELIVERY }),
    );

    const settled = await Promise.allSettled(ids.map((id) => sut.decide(jobFor(id), `job-${id}`)));

    expect(settled.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect(mocks.decisions.record).toHaveBeenCalledTimes(2);
    expect(mocks.producer.enqueueMany).toHaveBeenCalledWith('callback', [{ v: 1, deliveryId: DELIVERY }]);
  });
});

describe('DecisionService review triggers', () => {
  it("sends an allowed decision inside the tenant's score band to review", async () => {
    const { sut, mocks } = newTestService();
    mocks.submissions.findMany.mockResolvedValue([fakeSubmission({ id: SUB, tenant: 'banded' })]);

    await sut.decide(job(scored(1, 'a green circle')), 'job-1');

    expect(recorded(mocks)).toMatchObject({ live: { verdict: 'allow' }, review: { trigger: 'band:red' } });
  });

  it("does not apply one tenant's bands to another", async () => {
    const { sut, mocks } = newTestService();

    await sut.decide(job(scored(1, 'a green circle')), 'job-1');

    expect(recorded(mocks).review).toBeUndefined();
  });

  it('samples automatic decisions for QA at CLIPGUARD_REVIEW_SAMPLE_RATE', async () => {
    const { sut, mocks } = newTestService({ CLIPGUARD_REVIEW_SAMPLE_RATE: '1' });

    await sut.decide(job(scored(1, 'a green circle')), 'job-1');

    expect(recorded(mocks).review?.trigger).toBe('sample:allow');
  });
});

describe('DecisionService.fail', () => {
  it('records DECIDE_FAILED on the submission', async () => {
    const { sut, mocks } = newTestService();

    await sut.fail(SUB, 'gave up');

    expect(mocks.submissions.markFailed).toHaveBeenCalledWith(SUB, 'DECIDE_FAILED', 'gave up');
  });
});
