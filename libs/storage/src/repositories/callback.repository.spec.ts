import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { createTestDatabase, decisionOutcome, seedSubmission, type TestDatabase } from '@clipguard/testing';
import { CallbackRepository } from './callback.repository';
import { DecisionRepository } from './decision.repository';
import { SubmissionRepository } from './submission.repository';

describe('CallbackRepository (PostgreSQL)', () => {
  let t: TestDatabase;
  let callbacks: CallbackRepository;

  beforeAll(async () => {
    t = await createTestDatabase();
    callbacks = new CallbackRepository(t.db);
  });
  afterAll(() => t.drop());

  /** A decided submission with a pending delivery; returns the delivery's id and its submission's. */
  async function pendingDelivery(): Promise<{ id: string; submissionId: string }> {
    const submissionId = await seedSubmission(new SubmissionRepository(t.db));
    const callback = { url: 'https://platform.example/cb', payload: { verdict: 'block' } };
    const { pendingDeliveryId } = await new DecisionRepository(t.db).record(
      decisionOutcome(submissionId, { callback }),
      randomUUID(),
    );
    return { id: pendingDeliveryId!, submissionId };
  }
  const age = (id: string, ms: number) =>
    t.db
      .updateTable('callback_deliveries')
      .set({ updated_at: sql<Date>`now() - ${`${ms} milliseconds`}::interval` })
      .where('id', '=', id)
      .execute();

  it('finds a delivery by id and by submission', async () => {
    const { id, submissionId } = await pendingDelivery();

    expect(await callbacks.find(id)).toMatchObject({
      id,
      submission_id: submissionId,
      tenant: 'acme',
      url: 'https://platform.example/cb',
      status: 'pending',
      attempts: 0,
      payload: { verdict: 'block' },
    });
    expect(await callbacks.forSubmission(submissionId)).toEqual([
      {
        id,
        kind: 'moderation.decided',
        ref: '',
        status: 'pending',
        attempts: 0,
        last_status: null,
        last_error: null,
      },
    ]);
  });

  it('lets one of many concurrent runs claim the sending of a delivery, the others see it busy', async () => {
    const { id } = await pendingDelivery();

    const claims = await Promise.all(Array.from({ length: 8 }, () => callbacks.claimSend(id, 60_000)));

    expect(claims.filter((c) => c.outcome === 'claimed')).toHaveLength(1);
    const busy = claims.filter((c) => c.outcome === 'busy');
    expect(busy).toHaveLength(7);
    for (const b of busy) expect(b.until.getTime()).toBeGreaterThan(Date.now() + 50_000);
  });

  it('frees the claim when the attempt is recorded, and answers sent once the delivery is done', async () => {
    const { id } = await pendingDelivery();
    expect((await callbacks.claimSend(id, 60_000)).outcome).toBe('claimed');

    await callbacks.recordAttempt(id, 'pending', { status: 503, error: null });
    expect((await callbacks.claimSend(id, 60_000)).outcome).toBe('claimed');
    await callbacks.recordAttempt(id, 'delivered', { status: 200, error: null });

    expect(await callbacks.claimSend(id, 60_000)).toEqual({ outcome: 'sent' });
  });

  it('lets a new run claim a delivery whose earlier claim ran out (its sender died)', async () => {
    const { id } = await pendingDelivery();
    expect((await callbacks.claimSend(id, 1)).outcome).toBe('claimed');
    await new Promise((r) => setTimeout(r, 20));

    expect((await callbacks.claimSend(id, 60_000)).outcome).toBe('claimed');
  });

  it('counts each attempt with its outcome, the error bounded', async () => {
    const { id } = await pendingDelivery();

    await callbacks.recordAttempt(id, 'pending', { status: null, error: 'e'.repeat(3000) });
    await callbacks.recordAttempt(id, 'delivered', { status: 200, error: null });

    const d = await callbacks.find(id);
    expect(d).toMatchObject({ status: 'delivered', attempts: 2, last_status: 200, last_error: null });
  });

  it('keeps the error of a failed attempt, at most 1000 characters of it', async () => {
    const { id } = await pendingDelivery();

    await callbacks.recordAttempt(id, 'pending', { status: null, error: 'e'.repeat(3000) });

    expect((await callbacks.find(id))?.last_error).toHaveLength(1000);
  });

  it('leaves a delivered or dead delivery as it is', async () => {
    const delivered = await pendingDelivery();
    const dead = await pendingDelivery();
    await callbacks.recordAttempt(delivered.id, 'delivered', { status: 204, error: null });
    await callbacks.recordAttempt(dead.id, 'dead', { status: 500, error: null });

    await callbacks.recordAttempt(delivered.id, 'dead', { status: 500, error: null });
    await callbacks.recordAttempt(dead.id, 'delivered', { status: 200, error: null });

    expect(await callbacks.find(delivered.id)).toMatchObject({
      status: 'delivered',
      attempts: 1,
      last_status: 204,
    });
    expect(await callbacks.find(dead.id)).toMatchObject({ status: 'dead', attempts: 1, last_status: 500 });
  });

  it('lists pending deliveries untouched for the grace period, and a touch restarts it', async () => {
    const fresh = await pendingDelivery();
    const stale = await pendingDelivery();
    const delivered = await pendingDelivery();
    await callbacks.recordAttempt(delivered.id, 'delivered', { status: 200, error: null });
    await Promise.all([age(stale.id, 120_000), age(delivered.id, 120_000)]);

    const listed = (await callbacks.listPending(60_000, 100)).map((d) => d.id);
    expect(listed).toContain(stale.id);
    expect(listed).not.toContain(fresh.id);
    expect(listed).not.toContain(delivered.id);

    await callbacks.touch(stale.id);
    expect((await callbacks.listPending(60_000, 100)).map((d) => d.id)).not.toContain(stale.id);
  });

  it('does not touch a delivery that is no longer pending', async () => {
    const { id } = await pendingDelivery();
    await callbacks.recordAttempt(id, 'dead', { status: 500, error: null });
    await age(id, 120_000);
    const before = (await callbacks.find(id))!.updated_at;

    await callbacks.touch(id);

    expect((await callbacks.find(id))!.updated_at).toEqual(before);
  });

  it('counts deliveries by status', async () => {
    const before = await callbacks.countByStatus();
    const { id } = await pendingDelivery();
    await pendingDelivery();
    await callbacks.recordAttempt(id, 'dead', { status: 500, error: null });

    const after = await callbacks.countByStatus();
    expect((after.dead ?? 0) - (before.dead ?? 0)).toBe(1);
    expect((after.pending ?? 0) - (before.pending ?? 0)).toBe(1);
  });
});
