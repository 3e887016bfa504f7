import { randomUUID } from 'node:crypto';
import { createTestDatabase, decisionOutcome, seedSubmission, type TestDatabase } from '@clipguard/testing';
import { DecisionRepository } from './decision.repository';
import { ReviewActionsRepository } from './review-actions.repository';
import { ReviewRepository } from './review.repository';
import { SubmissionRepository } from './submission.repository';

describe('ReviewRepository and ReviewActionsRepository.resolve (PostgreSQL)', () => {
  let t: TestDatabase;
  let reviews: ReviewRepository;
  let actions: ReviewActionsRepository;

  beforeAll(async () => {
    t = await createTestDatabase();
    reviews = new ReviewRepository(t.db);
    actions = new ReviewActionsRepository(t.db);
  });
  afterAll(() => t.drop());

  /** A decided submission of `tenant` whose decision went to review; returns the review's id. */
  async function reviewItem(tenant: string, trigger = 'verdict'): Promise<string> {
    const submissionId = await seedSubmission(new SubmissionRepository(t.db), tenant);
    await new DecisionRepository(t.db).record(
      {
        ...decisionOutcome(submissionId, {
          verdict: 'review',
          review: { trigger, severity: 2, topCategory: 'red', topScore: 0.5 },
        }),
        tenant,
      },
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
  const actor = { userId: null, name: 'mod-1' };
  const resolve = (id: string, tenant: string, verdict: 'allow' | 'block' = 'block') =>
    actions.resolve({ id, tenants: [tenant], actor, holder: null, verdict, labels: ['red'], note: 'knife' });

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

    expect(await resolve(id, 'acme')).toMatchObject({ submissionId: expect.any(String) as string });
    expect(await resolve(id, 'acme', 'allow')).toBeUndefined();

    const audits = await reviewAudits(id);
    expect(audits).toEqual([
      {
        body: {
          tenant: 'acme',
          review: id,
          queue: 'review',
          verdict: 'block',
          labels: ['red'],
          note: 'knife',
          actor,
          moderator: 'mod-1',
        },
      },
    ]);
    const row = await t.db.selectFrom('reviews').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'resolved:block',
      verdict: 'block',
      labels: ['red'],
      resolved_by_name: 'mod-1',
    });
    expect((await reviews.pending('acme', 500)).map((r) => r.id)).not.toContain(id);
  });

  it('resolves one of two concurrent resolutions of the same item', async () => {
    const id = await reviewItem('acme');

    const results = await Promise.all([resolve(id, 'acme'), resolve(id, 'acme', 'allow')]);

    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await reviewAudits(id)).toHaveLength(1);
  });

  it("does not resolve another tenant's item, which stays pending and unaudited", async () => {
    const id = await reviewItem('globex');

    expect(await resolve(id, 'acme')).toBeUndefined();

    expect((await reviews.pending('globex', 500)).map((r) => r.id)).toContain(id);
    expect(await reviewAudits(id)).toEqual([]);
  });
});
