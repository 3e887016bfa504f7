import { randomUUID } from 'node:crypto';
import { createTestDatabase, decisionOutcome, seedSubmission, type TestDatabase } from '@clipguard/testing';
import { AuditRepository } from './audit.repository';
import { DecisionRepository } from './decision.repository';
import { EmbeddingRepository } from './embedding.repository';
import { SubmissionRepository } from './submission.repository';

describe('DecisionRepository (PostgreSQL)', () => {
  let t: TestDatabase;
  let decisions: DecisionRepository;
  let submissions: SubmissionRepository;

  beforeAll(async () => {
    t = await createTestDatabase();
    decisions = new DecisionRepository(t.db);
    submissions = new SubmissionRepository(t.db);
  });
  afterAll(() => t.drop());

  /** Rows that one submission's decision left behind, by table. */
  async function stored(submissionId: string) {
    const count = (table: 'decisions' | 'reviews' | 'callback_deliveries') =>
      t.db.selectFrom(table).select('id').where('submission_id', '=', submissionId).execute();
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['kind', 'body'])
      .where('ref', '=', submissionId)
      .orderBy('seq')
      .execute();
    return {
      decisions: (await count('decisions')).length,
      reviews: (await count('reviews')).length,
      deliveries: (await count('callback_deliveries')).length,
      audit: audit.map((a) => a.kind),
    };
  }
  const callback = { url: 'https://platform.example/cb', payload: { verdict: 'review' } };

  it('records a decision with its audit entry, review item and delivery, and decides the submission', async () => {
    const id = await seedSubmission(submissions);
    const deliveryId = randomUUID();

    const res = await decisions.record(
      decisionOutcome(id, {
        verdict: 'review',
        review: { trigger: 'verdict', severity: 2, topCategory: 'red', topScore: 0.9 },
        callback,
      }),
      deliveryId,
    );

    expect(res).toEqual({ inserted: true, pendingDeliveryId: deliveryId });
    expect(await stored(id)).toEqual({ decisions: 1, reviews: 1, deliveries: 1, audit: ['decision'] });
    expect((await submissions.find(id))?.status).toBe('decided');
  });

  it('records a re-run of the same job once, still naming the pending delivery', async () => {
    const id = await seedSubmission(submissions);
    const outcome = decisionOutcome(id, {
      review: { trigger: 'band:red', severity: 2, topCategory: 'red', topScore: 0.4 },
      callback,
    });
    const first = await decisions.record(outcome, randomUUID());

    const again = await decisions.record(outcome, randomUUID());

    expect(again).toEqual({ inserted: false, pendingDeliveryId: first.pendingDeliveryId });
    expect(await stored(id)).toEqual({ decisions: 1, reviews: 1, deliveries: 1, audit: ['decision'] });
  });

  it('records two concurrent runs of the same job once', async () => {
    const id = await seedSubmission(submissions);
    const outcome = decisionOutcome(id, {
      shadowVersion: 2,
      review: { trigger: 'verdict', severity: 2, topCategory: 'red', topScore: 0.9 },
      callback,
    });

    const results = await Promise.all([1, 2, 3].map(() => decisions.record(outcome, randomUUID())));

    expect(results.filter((r) => r.inserted)).toHaveLength(1);
    expect(new Set(results.map((r) => r.pendingDeliveryId)).size).toBe(1);
    expect(await stored(id)).toEqual({
      decisions: 2,
      reviews: 1,
      deliveries: 1,
      audit: ['decision', 'shadow_decision'],
    });
    expect(await new AuditRepository(t.db).verify()).toMatchObject({ ok: true });
  });

  it('stores the live and the shadow decision through the same path, each audited as what it is', async () => {
    const id = await seedSubmission(submissions);

    await decisions.record(decisionOutcome(id, { version: 1, shadowVersion: 2 }), randomUUID());

    const rows = await decisions.forSubmission(id);
    expect(rows.map((r) => [r.shadow, r.policy_version, r.policy_hash, r.model_id]).sort()).toEqual([
      [false, 1, 'hash-v1', 'tiny-model'],
      [true, 2, 'hash-v2', 'tiny-model'],
    ]);
    expect(rows.find((r) => r.shadow)?.body).toEqual({ id, verdict: 'block', shadow: true });
    const audit = await t.db.selectFrom('audit_log').select(['kind', 'body']).where('ref', '=', id).execute();
    expect(audit).toEqual(
      expect.arrayContaining([
        { kind: 'decision', body: { tenant: 'acme', verdict: 'block', policy_version: 1 } },
        { kind: 'shadow_decision', body: { tenant: 'acme', verdict: 'block', policy_version: 2 } },
      ]),
    );
  });

  it('records a new policy version of an already decided submission as a decision of its own', async () => {
    const id = await seedSubmission(submissions);
    await decisions.record(decisionOutcome(id, { version: 1 }), randomUUID());

    const res = await decisions.record(decisionOutcome(id, { version: 2 }), randomUUID());

    expect(res.inserted).toBe(true);
    expect((await stored(id)).audit).toEqual(['decision', 'decision']);
  });

  it('opens no review without a trigger and no delivery without a callback', async () => {
    const id = await seedSubmission(submissions);

    const res = await decisions.record(decisionOutcome(id), randomUUID());

    expect(res).toEqual({ inserted: true });
    expect(await stored(id)).toMatchObject({ reviews: 0, deliveries: 0 });
  });

  it('names no pending delivery once it was delivered', async () => {
    const id = await seedSubmission(submissions);
    const outcome = decisionOutcome(id, { callback });
    const { pendingDeliveryId } = await decisions.record(outcome, randomUUID());
    await t.db
      .updateTable('callback_deliveries')
      .set({ status: 'delivered' })
      .where('id', '=', pendingDeliveryId!)
      .execute();

    expect(await decisions.record(outcome, randomUUID())).toEqual({
      inserted: false,
      pendingDeliveryId: undefined,
    });
  });

  it('leaves a failed submission failed', async () => {
    const id = await seedSubmission(submissions);
    await submissions.markFailed(id, 'DECIDE_FAILED', 'gave up');

    await decisions.record(decisionOutcome(id), randomUUID());

    expect((await submissions.find(id))?.status).toBe('failed');
  });

  it('stores the embedding once per content and model, for reuse', async () => {
    const a = await seedSubmission(submissions);
    const b = await seedSubmission(submissions);
    await decisions.record(decisionOutcome(a), randomUUID());
    await decisions.record(decisionOutcome(b), randomUUID());

    const frames = await new EmbeddingRepository(t.db).find('e'.repeat(64), 'tiny-model');

    expect(frames?.map((f) => Array.from(f))).toEqual([[expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]]);
    expect(await new EmbeddingRepository(t.db).find('e'.repeat(64), 'other-model')).toBeUndefined();
  });

  it('records a batch in one transaction as each alone would: one audit entry per new decision, chained in order, a re-run left as it was', async () => {
    const [a, b, again] = await Promise.all([1, 2, 3].map(() => seedSubmission(submissions)));
    const first = await decisions.record(decisionOutcome(again, { callback }), randomUUID());
    const audit = new AuditRepository(t.db);
    const head = await audit.head();

    const results = await decisions.recordMany([
      {
        outcome: decisionOutcome(b, {
          shadowVersion: 2,
          review: { trigger: 'verdict', severity: 2, topCategory: 'red', topScore: 0.9 },
          callback,
        }),
        newDeliveryId: randomUUID(),
      },
      { outcome: decisionOutcome(again, { callback }), newDeliveryId: randomUUID() },
      { outcome: decisionOutcome(a), newDeliveryId: randomUUID() },
    ]);

    expect(results.map((r) => r.inserted)).toEqual([true, false, true]);
    expect(typeof results[0].pendingDeliveryId).toBe('string');
    expect(results[1]).toEqual({ inserted: false, pendingDeliveryId: first.pendingDeliveryId });
    expect(results[2]).toEqual({ inserted: true });
    expect(await stored(b)).toEqual({
      decisions: 2,
      reviews: 1,
      deliveries: 1,
      audit: ['decision', 'shadow_decision'],
    });
    expect(await stored(again)).toEqual({ decisions: 1, reviews: 0, deliveries: 1, audit: ['decision'] });
    expect(await stored(a)).toMatchObject({ decisions: 1, audit: ['decision'] });
    const appended = await t.db
      .selectFrom('audit_log')
      .select(['ref', 'kind'])
      .where('seq', '>', head?.seq ?? '0')
      .orderBy('seq')
      .execute();
    expect(appended).toHaveLength(3);
    expect(await audit.verify()).toMatchObject({ ok: true });
    for (const id of [a, b]) expect((await submissions.find(id))?.status).toBe('decided');
  });

  it('records overlapping batches of the same jobs once', async () => {
    const ids = await Promise.all([1, 2, 3, 4].map(() => seedSubmission(submissions)));
    const batch = () =>
      ids.map((id) => ({ outcome: decisionOutcome(id, { callback }), newDeliveryId: randomUUID() }));

    const runs = await Promise.all([batch(), [...batch()].reverse()].map((b) => decisions.recordMany(b)));

    expect(runs.flat().filter((r) => r.inserted)).toHaveLength(ids.length);
    for (const id of ids)
      expect(await stored(id)).toEqual({ decisions: 1, reviews: 0, deliveries: 1, audit: ['decision'] });
    expect(await new AuditRepository(t.db).verify()).toMatchObject({ ok: true });
  });

  it('counts live decisions by verdict, not shadow ones', async () => {
    const before = await decisions.countByVerdict();
    const id = await seedSubmission(submissions);

    await decisions.record(decisionOutcome(id, { verdict: 'allow', shadowVersion: 2 }), randomUUID());

    const after = await decisions.countByVerdict();
    expect((after.allow ?? 0) - (before.allow ?? 0)).toBe(1);
  });
});
