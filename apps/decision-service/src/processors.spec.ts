import { DelayedError, UnrecoverableError } from 'bullmq';
import { loadPipelineEnv } from '@clipguard/config';
import type { DecideJob } from '@clipguard/contracts';
import type { CallbackDelivery } from '@clipguard/storage';
import { deferred, fakeJob, mockOf, silentLogger } from '@clipguard/testing';
import { CallbackService } from './callback.service';
import { DecisionService } from './decision.service';
import { CallbackProcessor, DecideProcessor } from './processors';

const SUB = 'b5c6d7e8-0000-4000-8000-000000000001';
const TENANT_LIMIT = loadPipelineEnv().CLIPGUARD_CALLBACK_TENANT_CONCURRENCY;

const decidePayload: DecideJob = {
  v: 1,
  submissionId: SUB,
  modelId: 'm',
  logitScale: 100,
  contentSha256: 'c'.repeat(64),
  embeddings: [],
  frameIndices: [0],
  live: { policyId: 'shapes', version: 1, hash: 'h', similarities: [[0.1]] },
  timings: {},
};

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );

describe('DecideProcessor', () => {
  const newTestProcessor = () => {
    const service = mockOf(DecisionService);
    service.fail.mockResolvedValue(undefined);
    return { sut: new DecideProcessor(service, silentLogger()), service };
  };

  it('decides the job with its id', async () => {
    const { sut, service } = newTestProcessor();

    await sut.process(fakeJob(decidePayload, { id: 'decide-1' }));

    expect(service.decide).toHaveBeenCalledWith(decidePayload, 'decide-1');
  });

  it('refuses an invalid payload as unrecoverable without deciding', async () => {
    const { sut, service } = newTestProcessor();

    expect(await rejection(sut.process(fakeJob({ ...decidePayload, v: 2 })))).toBeInstanceOf(
      UnrecoverableError,
    );
    expect(service.decide).not.toHaveBeenCalled();
    expect(service.fail).not.toHaveBeenCalled();
  });

  it('fails the submission on an unrecoverable error, then rethrows it', async () => {
    const { sut, service } = newTestProcessor();
    const err = new UnrecoverableError('policy differs');
    service.decide.mockRejectedValue(err);

    expect(await rejection(sut.process(fakeJob(decidePayload, { attemptsMade: 0, attempts: 8 })))).toBe(err);
    expect(service.fail).toHaveBeenCalledWith(SUB, 'policy differs');
  });

  it('fails the submission when the last attempt fails, then rethrows', async () => {
    const { sut, service } = newTestProcessor();
    service.decide.mockRejectedValue(new Error('not loaded yet'));

    await rejection(sut.process(fakeJob(decidePayload, { attemptsMade: 7, attempts: 8 })));

    expect(service.fail).toHaveBeenCalledWith(SUB, 'not loaded yet');
  });

  it('leaves the submission alone when an earlier attempt fails, so BullMQ retries', async () => {
    const { sut, service } = newTestProcessor();
    const err = new Error('not loaded yet');
    service.decide.mockRejectedValue(err);

    expect(await rejection(sut.process(fakeJob(decidePayload, { attemptsMade: 6, attempts: 8 })))).toBe(err);
    expect(service.fail).not.toHaveBeenCalled();
  });
});

describe('CallbackProcessor', () => {
  // Deliveries numbered below 50 belong to the tenant "busy", the others to "calm".
  const delivery = (n: number) =>
    ({
      id: `b5c6d7e8-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`,
      tenant: n < 50 ? 'busy' : 'calm',
    }) as CallbackDelivery;

  const newTestProcessor = () => {
    const service = mockOf(CallbackService);
    service.pending.mockImplementation((id) => Promise.resolve(delivery(Number(id.slice(-2)))));
    service.claim.mockImplementation((id) =>
      Promise.resolve({ outcome: 'claimed', delivery: delivery(Number(id.slice(-2))) }),
    );
    return { sut: new CallbackProcessor(service, silentLogger()), service };
  };
  const job = (n: number, options: { attemptsMade?: number; attempts?: number } = {}) =>
    fakeJob({ v: 1, deliveryId: delivery(n).id }, options);

  it('delivers a pending delivery, telling the service whether this is the final attempt', async () => {
    const { sut, service } = newTestProcessor();

    await sut.process(job(60, { attemptsMade: 0, attempts: 3 }));
    await sut.process(job(61, { attemptsMade: 2, attempts: 3 }));

    expect(service.deliver.mock.calls.map(([d, last]) => [d.id.slice(-2), last])).toEqual([
      ['60', false],
      ['61', true],
    ]);
  });

  it('does nothing for a delivery that is no longer pending', async () => {
    const { sut, service } = newTestProcessor();
    service.pending.mockResolvedValue(undefined);

    await sut.process(job(60));

    expect(service.deliver).not.toHaveBeenCalled();
  });

  it('does not send a delivery another run of its job is sending: delayed until that claim ends', async () => {
    const { sut, service } = newTestProcessor();
    const until = new Date(Date.now() + 30_000);
    service.claim.mockResolvedValue({ outcome: 'busy', until });
    const j = job(60);

    expect(await rejection(sut.process(j, 'lock-token'))).toBeInstanceOf(DelayedError);

    expect(service.deliver).not.toHaveBeenCalled();
    expect(j.moveToDelayed).toHaveBeenCalledWith(expect.any(Number), 'lock-token');
    expect(j.moveToDelayed.mock.calls[0][0]).toBeGreaterThanOrEqual(until.getTime());
    // The slot it took is free again for the tenant's other deliveries.
    for (let i = 61; i < 61 + TENANT_LIMIT; i++)
      service.claim.mockResolvedValueOnce({ outcome: 'claimed', delivery: delivery(i) });
    await Promise.all(Array.from({ length: TENANT_LIMIT }, (_, i) => sut.process(job(61 + i))));
    expect(service.deliver).toHaveBeenCalledTimes(TENANT_LIMIT);
  });

  it('does not send a delivery that another run sent meanwhile', async () => {
    const { sut, service } = newTestProcessor();
    service.claim.mockResolvedValue({ outcome: 'sent' });

    await sut.process(job(60));

    expect(service.deliver).not.toHaveBeenCalled();
  });

  it("moves a job of a tenant at its limit to delayed, without delivering, while other tenants' go on", async () => {
    const { sut, service } = newTestProcessor();
    const hanging = deferred();
    service.deliver.mockImplementation((d) => (d.tenant === 'busy' ? hanging.promise : Promise.resolve()));
    const inFlight = Array.from({ length: TENANT_LIMIT }, (_, i) => sut.process(job(i + 1), 'token'));
    await new Promise((r) => setImmediate(r));
    const extra = job(TENANT_LIMIT + 1);

    const err = await rejection(sut.process(extra, 'lock-token'));

    expect(err).toBeInstanceOf(DelayedError);
    expect(extra.moveToDelayed).toHaveBeenCalledWith(expect.any(Number), 'lock-token');
    expect(extra.moveToDelayed.mock.calls[0][0]).toBeGreaterThan(Date.now());
    expect(service.deliver).toHaveBeenCalledTimes(TENANT_LIMIT);
    await sut.process(job(60));
    expect(service.deliver).toHaveBeenCalledTimes(TENANT_LIMIT + 1);

    hanging.resolve();
    await Promise.all(inFlight);
  });

  it("frees the tenant's slots when deliveries fail", async () => {
    const { sut, service } = newTestProcessor();
    service.deliver.mockRejectedValue(new Error('503'));

    for (let i = 1; i <= TENANT_LIMIT + 2; i++) await rejection(sut.process(job(i)));

    expect(service.deliver).toHaveBeenCalledTimes(TENANT_LIMIT + 2);
  });
});
