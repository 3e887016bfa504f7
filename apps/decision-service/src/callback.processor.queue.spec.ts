import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { loadPipelineEnv } from '@clipguard/config';
import { bullConnection } from '@clipguard/queue';
import type { CallbackDelivery } from '@clipguard/storage';
import { deferred, mockOf, silentLogger } from '@clipguard/testing';
import { CallbackService } from './callback.service';
import { CallbackProcessor } from './processors';

const LIMIT = loadPipelineEnv().CLIPGUARD_CALLBACK_TENANT_CONCURRENCY;
const connection = bullConnection('redis://127.0.0.1:6379');
const prefix = `cg_unit_${randomBytes(4).toString('hex')}`;
const id = (n: number) => `c6d7e8f9-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`;

/** The callback processor on a real BullMQ queue: stepping aside for a busy tenant must cost no attempt. */
describe('CallbackProcessor on a real queue', () => {
  const queue = new Queue('callback', { connection, prefix });
  const events = new QueueEvents('callback', { connection, prefix });
  const service = mockOf(CallbackService);
  const hanging = deferred();
  const allBusy = deferred();
  let worker: Worker;

  beforeAll(async () => {
    service.pending.mockImplementation((deliveryId) =>
      Promise.resolve({ id: deliveryId, tenant: 'busy' } as CallbackDelivery),
    );
    service.claim.mockImplementation((deliveryId) =>
      Promise.resolve({
        outcome: 'claimed',
        delivery: { id: deliveryId, tenant: 'busy' } as CallbackDelivery,
      }),
    );
    service.deliver.mockImplementation((d) => {
      if (d.id === id(LIMIT + 1)) return Promise.resolve();
      if (service.deliver.mock.calls.length === LIMIT) allBusy.resolve();
      return hanging.promise;
    });
    const sut = new CallbackProcessor(service, silentLogger());
    await events.waitUntilReady();
    worker = new Worker('callback', (job, token) => sut.process(job, token), {
      connection,
      prefix,
      concurrency: LIMIT + 1,
    });
  });
  afterAll(async () => {
    hanging.resolve();
    await worker.close();
    await queue.obliterate({ force: true });
    await Promise.all([queue.close(), events.close()]);
  });

  it('delays the job over the tenant limit without using one of its attempts', async () => {
    const delayed = new Promise((r) => events.once('delayed', r));
    for (let n = 1; n <= LIMIT; n++)
      await queue.add('callback', { v: 1, deliveryId: id(n) }, { jobId: `cb-${n}`, attempts: 2 });
    await allBusy.promise;
    const extra = await queue.add(
      'callback',
      { v: 1, deliveryId: id(LIMIT + 1) },
      { jobId: 'cb-extra', attempts: 2 },
    );

    await delayed;
    hanging.resolve();
    await extra.waitUntilFinished(events, 20_000);

    const calls = service.deliver.mock.calls.filter(([d]) => d.id === id(LIMIT + 1));
    // With two attempts, a delay that used one would make the run that delivers the final attempt.
    expect(calls).toEqual([[expect.objectContaining({ id: id(LIMIT + 1) }), false]]);
  }, 20_000);
});
