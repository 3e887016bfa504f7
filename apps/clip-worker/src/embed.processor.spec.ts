import { UnrecoverableError } from 'bullmq';
import { fakeJob, mockOf, silentLogger } from '@clipguard/testing';
import { EmbedProcessor } from './embed.processor';
import { EmbedService, PoisonError } from './embed.service';
import { WorkerMetrics } from './worker.metrics';

const SUB = '8293a4b5-0000-4000-8000-000000000001';
const payload = { v: 1, submissionId: SUB };

function newTestProcessor() {
  const mocks = { service: mockOf(EmbedService) };
  mocks.service.embed.mockResolvedValue(undefined);
  mocks.service.fail.mockResolvedValue(undefined);
  return { sut: new EmbedProcessor(mocks.service, new WorkerMetrics(), silentLogger()), mocks };
}

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );

describe('EmbedProcessor', () => {
  it('embeds the submission the job names', async () => {
    const { sut, mocks } = newTestProcessor();

    await sut.process(fakeJob(payload, { id: SUB }));

    expect(mocks.service.embed).toHaveBeenCalledWith(SUB, SUB);
  });

  it('refuses an invalid payload as unrecoverable without touching any submission', async () => {
    const { sut, mocks } = newTestProcessor();

    const err = await rejection(sut.process(fakeJob({ v: 1, submissionId: 'not-a-uuid' })));

    expect(err).toBeInstanceOf(UnrecoverableError);
    expect(mocks.service.embed).not.toHaveBeenCalled();
    expect(mocks.service.fail).not.toHaveBeenCalled();
  });

  it('records a poison failure with its code on the first attempt, then rethrows it', async () => {
    const { sut, mocks } = newTestProcessor();
    const poison = new PoisonError('IMAGE_CORRUPT', 'bad png');
    mocks.service.embed.mockRejectedValue(poison);

    expect(await rejection(sut.process(fakeJob(payload, { attemptsMade: 0, attempts: 5 })))).toBe(poison);
    expect(mocks.service.fail).toHaveBeenCalledWith(SUB, 'IMAGE_CORRUPT', 'bad png');
  });

  it('records a transient failure as EMBED_FAILED on the last attempt, then rethrows it', async () => {
    const { sut, mocks } = newTestProcessor();
    const transient = new Error('Connection terminated');
    mocks.service.embed.mockRejectedValue(transient);

    expect(await rejection(sut.process(fakeJob(payload, { attemptsMade: 4, attempts: 5 })))).toBe(transient);
    expect(mocks.service.fail).toHaveBeenCalledWith(SUB, 'EMBED_FAILED', 'Connection terminated');
  });

  it('rethrows a transient failure before the last attempt without recording it', async () => {
    const { sut, mocks } = newTestProcessor();
    const transient = new Error('Connection terminated');
    mocks.service.embed.mockRejectedValue(transient);

    expect(await rejection(sut.process(fakeJob(payload, { attemptsMade: 3, attempts: 5 })))).toBe(transient);
    expect(mocks.service.fail).not.toHaveBeenCalled();
  });
});
