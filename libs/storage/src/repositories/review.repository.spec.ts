import { randomUUID } from 'node:crypto';
import { createTestDatabase, decisionOutcome, seedSubmission, type TestDatabase } from '@clipguard/testing';
import { DecisionRepository } from './decision.repository';
import { ReviewRepository } from './review.repository';
import { SubmissionRepository } from './submission.repository';

describe('ReviewRepository (PostgreSQL)', () => {
  let t: TestDatabase;
  let reviews: ReviewRepository;

  beforeAll(async () => {
    t = await createTestDatabase();
    reviews = new ReviewRepository(t.db);
  });
  afterAll(() => t.drop());

  /** A decided submission of `tenant` whose decision went to review; returns the review's id. */
  async function reviewItem(tenant: string, trigger = 'verdict'): Promise<string> {
    const submissionId = await seedSubmission(new SubmissionRepository(t.db), tenant);
    await new DecisionRepository(t.db).record(
      { ...decisionOutcome(submissionId, { verdict: 'review', reviewTrigger: trigger }), tenant },
      randomUUID(),
    );
    const row = await t.db
      .selectFrom('reviews')
      .select('id')
      .where('submission_id', '=', submissionId)
      .executeTakeFirstOrThrow();
    return row.id;
  }
  const reviewAudits = (reviewId: string) =>
    t.db
      .selectFrom('audit_log')
      .select('body')
      .where('kind', '=', 'review')
      .where(({ eb, ref }) => eb(ref('body', '->>').key('review'), '=', reviewId))
      .execute();
  const resolution = { verdict: 'block' as const, moderator: 'mod-1', note: 'knife' };

  it("lists a tenant's pending items oldest first, with the decision, and none of another tenant's", async () => {
    const tenant = `t-${randomUUID().slice(0, 8)}`;
    const first = await reviewItem(tenant, 'verdict');
    const second = await reviewItem(tenant, 'band:red');
    await reviewItem('globex');

    const items = await reviews.pending(tenant, 10);

    expect(items.map((i) => [i.id, i.trigger, i.verdict])).toEqual([
      [first, 'verdict', 'review'],
      [second, 'band:red', 'review'],
    ]);
    expect(items[0].body).toMatchObject({ verdict: 'review' });
    expect(await reviews.pending(tenant, 1)).toHaveLength(1);
  });

  it('resolves a pending item once, with one audit entry', async () => {
    const id = await reviewItem('acme');

    expect(await reviews.resolve(id, 'acme', resolution)).toEqual({ id, status: 'resolved:block' });
    expect(await reviews.resolve(id, 'acme', { ...resolution, verdict: 'allow' })).toBeUndefined();

    const audits = await reviewAudits(id);
    expect(audits).toEqual([{ body: { tenant: 'acme', review: id, ...resolution } }]);
    expect((await reviews.pending('acme', 500)).map((r) => r.id)).not.toContain(id);
  });

  it('resolves one of two concurrent resolutions of the same item', async () => {
    const id = await reviewItem('acme');

    const results = await Promise.all([
      reviews.resolve(id, 'acme', resolution),
      reviews.resolve(id, 'acme', { ...resolution, verdict: 'allow' }),
    ]);

    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await reviewAudits(id)).toHaveLength(1);
  });

  it("does not resolve another tenant's item, which stays pending and unaudited", async () => {
    const id = await reviewItem('globex');

    expect(await reviews.resolve(id, 'acme', resolution)).toBeUndefined();

    expect((await reviews.pending('globex', 500)).map((r) => r.id)).toContain(id);
    expect(await reviewAudits(id)).toEqual([]);
  });
});
