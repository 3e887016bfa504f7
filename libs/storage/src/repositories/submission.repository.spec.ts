import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { createTestDatabase, decisionOutcome, seedSubmission, type TestDatabase } from '@clipguard/testing';
import { DecisionRepository } from './decision.repository';
import { SubmissionRepository } from './submission.repository';

describe('SubmissionRepository (PostgreSQL)', () => {
  let t: TestDatabase;
  let submissions: SubmissionRepository;
  let decisions: DecisionRepository;

  beforeAll(async () => {
    t = await createTestDatabase();
    submissions = new SubmissionRepository(t.db);
    decisions = new DecisionRepository(t.db);
  });
  afterAll(() => t.drop());

  const row = async (id: string) => (await submissions.find(id))!;
  const newEvent = (tenant = 'acme', eventId = `evt-${randomUUID()}`) => ({
    tenant,
    eventId,
    webhookId: 'msg_1',
    contentUrl: 'https://cdn.example.com/a.png',
    blobKey: null,
    metadata: { user_id: 'u1' },
    priority: 'high',
  });
  /** Moves a row's last update into the past, as if it had sat untouched. */
  const age = (id: string, ms: number) =>
    t.db
      .updateTable('submissions')
      .set({ updated_at: sql<Date>`now() - ${`${ms} milliseconds`}::interval` })
      .where('id', '=', id)
      .execute();

  describe('insert', () => {
    it('stores an event once per tenant and gives back the same id for a repeat', async () => {
      const event = newEvent();
      const first = await submissions.insert(event, randomUUID());
      const again = await submissions.insert(event, randomUUID());

      expect(first.inserted).toBe(true);
      expect(again).toEqual({ id: first.id, inserted: false });
      expect(await row(first.id)).toMatchObject({
        tenant: 'acme',
        event_id: event.eventId,
        status: 'queued',
        webhook_id: 'msg_1',
        content_url: 'https://cdn.example.com/a.png',
        metadata: { user_id: 'u1' },
        priority: 'high',
        enqueued_at: null,
        redrives: 0,
      });
    });

    it('stores the same event id of another tenant as another submission', async () => {
      const eventId = `evt-${randomUUID()}`;
      const acme = await submissions.insert(newEvent('acme', eventId), randomUUID());
      const globex = await submissions.insert(newEvent('globex', eventId), randomUUID());

      expect(globex.inserted).toBe(true);
      expect(globex.id).not.toBe(acme.id);
    });

    it('stores concurrent deliveries of one event once', async () => {
      const event = newEvent();
      const results = await Promise.all(
        Array.from({ length: 6 }, () => submissions.insert(event, randomUUID())),
      );

      expect(results.filter((r) => r.inserted)).toHaveLength(1);
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
    });
  });

  it('finds a submission only for its own tenant when a tenant is given', async () => {
    const id = await seedSubmission(submissions, 'acme');

    expect(await submissions.find(id, 'acme')).toMatchObject({ id });
    expect(await submissions.find(id, 'globex')).toBeUndefined();
    expect(await submissions.find(id)).toMatchObject({ id });
  });

  describe('forward-only status', () => {
    it('moves queued → embedding (claimed by the embed job) → deciding, recording the content hash and decide job', async () => {
      const id = await seedSubmission(submissions);

      expect(await submissions.claimForEmbedding(id)).toMatchObject({ id, status: 'embedding' });
      expect(await submissions.claimForEmbedding(id)).toMatchObject({ id, status: 'embedding' });
      expect(await submissions.startDeciding(id, 'c'.repeat(64), 'decide-1')).toBe(true);

      expect(await row(id)).toMatchObject({
        status: 'deciding',
        content_sha256: 'c'.repeat(64),
        decide_job_id: 'decide-1',
      });
    });

    it('lets a re-driven deciding submission take the new decide job without moving', async () => {
      const id = await seedSubmission(submissions);
      await submissions.startDeciding(id, 'c'.repeat(64), 'decide-1');

      expect(await submissions.startDeciding(id, 'c'.repeat(64), 'decide-2')).toBe(true);
      expect(await row(id)).toMatchObject({ status: 'deciding', decide_job_id: 'decide-2' });
    });

    it('never moves a decided submission back when its embed job runs again (issue 10, item 2)', async () => {
      const id = await seedSubmission(submissions);
      await submissions.claimForEmbedding(id);
      await submissions.startDeciding(id, 'c'.repeat(64), 'decide-1');
      await decisions.record(decisionOutcome(id), randomUUID());
      expect((await row(id)).status).toBe('decided');

      // The stalled embed job, run again:
      expect(await submissions.claimForEmbedding(id)).toMatchObject({ status: 'decided' });
      expect(await submissions.startDeciding(id, 'd'.repeat(64), 'decide-again')).toBe(false);

      expect(await row(id)).toMatchObject({
        status: 'decided',
        content_sha256: 'c'.repeat(64),
        decide_job_id: 'decide-1',
      });
    });

    it('never moves a failed submission to deciding', async () => {
      const id = await seedSubmission(submissions);
      await submissions.markFailed(id, 'IMAGE_CORRUPT', 'bad png');

      expect(await submissions.startDeciding(id, 'c'.repeat(64), 'decide-1')).toBe(false);
      expect(await row(id)).toMatchObject({ status: 'failed', decide_job_id: null });
    });

    it('records a failure on an unfinished submission, its message bounded', async () => {
      const id = await seedSubmission(submissions);
      await submissions.startDeciding(id, 'c'.repeat(64), 'decide-1');

      expect(await submissions.markFailed(id, 'DECIDE_FAILED', 'x'.repeat(5000))).toBe(true);

      const failed = await row(id);
      expect(failed).toMatchObject({ status: 'failed', error_code: 'DECIDE_FAILED' });
      expect(failed.error_message).toHaveLength(1000);
    });

    it('never overwrites a decided submission with a failure', async () => {
      const id = await seedSubmission(submissions);
      await decisions.record(decisionOutcome(id), randomUUID());

      expect(await submissions.markFailed(id, 'EMBED_FAILED', 'late failure')).toBe(false);
      expect(await row(id)).toMatchObject({ status: 'decided', error_code: null });
    });

    it('keeps the first failure of a failed submission', async () => {
      const id = await seedSubmission(submissions);
      await submissions.markFailed(id, 'IMAGE_CORRUPT', 'bad png');

      expect(await submissions.markFailed(id, 'REDRIVE_EXHAUSTED', 'later')).toBe(false);
      expect((await row(id)).error_code).toBe('IMAGE_CORRUPT');
    });
  });

  describe('re-drives', () => {
    it('lets exactly one of several concurrent reconcilers claim a re-drive', async () => {
      const id = await seedSubmission(submissions);

      const claims = await Promise.all(Array.from({ length: 8 }, () => submissions.countRedrive(id, 0)));

      expect(claims.filter(Boolean)).toHaveLength(1);
      const after = await row(id);
      expect(after.redrives).toBe(1);
      expect(after.enqueued_at).not.toBeNull();
    });

    it('refuses a claim made on a stale count', async () => {
      const id = await seedSubmission(submissions);
      await submissions.countRedrive(id, 0);

      expect(await submissions.countRedrive(id, 0)).toBe(false);
      expect(await submissions.countRedrive(id, 1)).toBe(true);
    });

    it('refuses to re-drive a finished submission', async () => {
      const id = await seedSubmission(submissions);
      await decisions.record(decisionOutcome(id), randomUUID());

      expect(await submissions.countRedrive(id, 0)).toBe(false);
    });
  });

  describe('reconciliation reads', () => {
    it('lists unfinished submissions untouched for the grace period, oldest first', async () => {
      const fresh = await seedSubmission(submissions);
      const old = await seedSubmission(submissions);
      const older = await seedSubmission(submissions);
      const decided = await seedSubmission(submissions);
      const failed = await seedSubmission(submissions);
      await decisions.record(decisionOutcome(decided), randomUUID());
      await submissions.markFailed(failed, 'IMAGE_CORRUPT', 'bad');
      await Promise.all([
        age(old, 120_000),
        age(older, 180_000),
        age(decided, 180_000),
        age(failed, 180_000),
      ]);

      const listed = (await submissions.listUnfinished(60_000, 100)).map((s) => s.id);

      expect(listed.indexOf(older)).toBeLessThan(listed.indexOf(old));
      expect(listed).toEqual(expect.arrayContaining([old, older]));
      expect(listed).not.toContain(fresh);
      expect(listed).not.toContain(decided);
      expect(listed).not.toContain(failed);
      expect(await submissions.listUnfinished(60_000, 1)).toHaveLength(1);
    });

    it('summarises the unfinished work: how much, and how old the oldest is', async () => {
      const before = await submissions.unfinishedSummary();
      await seedSubmission(submissions);

      const after = await submissions.unfinishedSummary();

      expect(after.count).toBe(before.count + 1);
      expect(after.oldestSeconds).toBeGreaterThanOrEqual(0);
    });

    it('marks a submission as enqueued', async () => {
      const id = await seedSubmission(submissions);

      await submissions.markEnqueued(id);

      expect((await row(id)).enqueued_at).toBeInstanceOf(Date);
    });
  });

  describe('list', () => {
    it("lists a tenant's submissions newest first with the live verdict, filtered", async () => {
      const tenant = `list-${randomUUID().slice(0, 8)}`;
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push(await seedSubmission(submissions, tenant));
      await seedSubmission(submissions, 'someone-else');
      await decisions.record(
        { ...decisionOutcome(ids[1], { verdict: 'allow', shadowVersion: 2 }), tenant },
        randomUUID(),
      );
      await t.db
        .updateTable('submissions')
        .set({ created_at: sql<Date>`now() - interval '1 hour'` })
        .where('id', '=', ids[0])
        .execute();

      const all = await submissions.list({ tenant, limit: 10 });
      const allowed = await submissions.list({ tenant, verdict: 'allow', limit: 10 });
      const older = await submissions.list({ tenant, before: new Date(Date.now() - 60_000), limit: 10 });

      expect(all.map((s) => s.id)).toEqual([ids[2], ids[1], ids[0]]);
      expect(allowed).toEqual([expect.objectContaining({ id: ids[1], verdict: 'allow' })]);
      expect(older.map((s) => s.id)).toEqual([ids[0]]);
      expect(await submissions.list({ tenant, limit: 2 })).toHaveLength(2);
    });
  });
});
