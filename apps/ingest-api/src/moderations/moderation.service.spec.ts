import type { Selectable } from 'kysely';
import { ApiError } from '@clipguard/contracts';
import {
  CallbackRepository,
  DecisionRepository,
  ReviewRepository,
  SubmissionRepository,
  type DecisionsTable,
  type Submission,
} from '@clipguard/storage';
import { fakeSubmission, mockOf } from '@clipguard/testing';
import { ModerationService } from './moderation.service';

const ACME_ID = '2c1d0e9f-0000-4000-8000-00000000000a';
const OTHER_ID = '2c1d0e9f-0000-4000-8000-00000000000b';

/** Submissions in memory, found the way the repository finds them: by id, and by tenant when one is given. */
function newTestService(rows: Submission[] = []) {
  const mocks = {
    submissions: mockOf(SubmissionRepository),
    decisions: mockOf(DecisionRepository),
    callbacks: mockOf(CallbackRepository),
    reviews: mockOf(ReviewRepository),
  };
  mocks.submissions.find.mockImplementation((id, tenant) =>
    Promise.resolve(rows.find((r) => r.id === id && (tenant === undefined || r.tenant === tenant))),
  );
  mocks.decisions.forSubmission.mockResolvedValue([]);
  mocks.callbacks.forSubmission.mockResolvedValue([]);
  mocks.reviews.outcomes.mockResolvedValue([]);
  const sut = new ModerationService(mocks.submissions, mocks.decisions, mocks.callbacks, mocks.reviews);
  return { sut, mocks };
}

const decisionRow = (shadow: boolean, verdict: 'allow' | 'block'): Selectable<DecisionsTable> => ({
  id: `d-${String(shadow)}`,
  submission_id: ACME_ID,
  policy_id: 'shapes',
  policy_version: shadow ? 2 : 1,
  policy_hash: 'h',
  model_id: 'm',
  shadow,
  verdict,
  safety_score: 0.5,
  body: { verdict, shadow },
  created_at: new Date(),
});

const notFound = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect(err).toMatchObject({ code: 'SUBMISSION_NOT_FOUND', status: 404 });
};

describe('ModerationService.view', () => {
  it('shows the live and the shadow decision apart, with the callback and any error', async () => {
    const { sut, mocks } = newTestService([
      fakeSubmission({ id: ACME_ID, tenant: 'acme', status: 'decided', error_code: null }),
    ]);
    mocks.decisions.forSubmission.mockResolvedValue([
      decisionRow(true, 'block'),
      decisionRow(false, 'allow'),
    ]);
    const callback = {
      id: 'c',
      kind: 'moderation.decided' as const,
      ref: '',
      status: 'delivered',
      attempts: 1,
      last_status: 200,
      last_error: null,
    };
    const reviewed = { ...callback, id: 'r', kind: 'moderation.reviewed' as const, ref: 'review-1' };
    mocks.callbacks.forSubmission.mockResolvedValue([callback, reviewed]);
    mocks.reviews.outcomes.mockResolvedValue([
      {
        id: 'review-1',
        queue: 'review',
        trigger: 'verdict',
        status: 'resolved:block',
        verdict: 'block',
        labels: ['red'],
        resolved_at: new Date(),
      },
    ]);

    const view = await sut.view(ACME_ID, 'acme');

    expect(view).toMatchObject({
      id: ACME_ID,
      tenant: 'acme',
      status: 'decided',
      error: null,
      decision: { verdict: 'allow', shadow: false },
      shadow_decision: { verdict: 'block', shadow: true },
      callback,
      callbacks: [callback, reviewed],
      // The human verdict beside the automatic one, and the final word.
      review: { id: 'review-1', status: 'resolved', verdict: 'block', labels: ['red'] },
      appeals: [],
      final_verdict: 'block',
    });
  });

  it('shows why a failed submission failed', async () => {
    const { sut } = newTestService([
      fakeSubmission({
        id: ACME_ID,
        status: 'failed',
        error_code: 'IMAGE_CORRUPT',
        error_message: 'bad png',
      }),
    ]);

    const view = await sut.view(ACME_ID, 'acme');

    expect(view.error).toEqual({ code: 'IMAGE_CORRUPT', message: 'bad png' });
    expect(view.decision).toBeNull();
    expect(view.callback).toBeNull();
  });

  it("answers SUBMISSION_NOT_FOUND for another tenant's submission and reads none of its decisions", async () => {
    const { sut, mocks } = newTestService([fakeSubmission({ id: OTHER_ID, tenant: 'globex' })]);

    await notFound(sut.view(OTHER_ID, 'acme'));
    expect(mocks.decisions.forSubmission).not.toHaveBeenCalled();
    expect(mocks.callbacks.forSubmission).not.toHaveBeenCalled();
  });

  it('answers SUBMISSION_NOT_FOUND for an id that is not a uuid without querying', async () => {
    const { sut, mocks } = newTestService();

    await notFound(sut.view("1' or '1'='1", 'acme'));
    expect(mocks.submissions.find).not.toHaveBeenCalled();
  });
});

describe('ModerationService.waitUntilFinal', () => {
  it('returns true once the submission is decided', async () => {
    const row = fakeSubmission({ id: ACME_ID, status: 'embedding' });
    const { sut, mocks } = newTestService([row]);
    let polls = 0;
    mocks.submissions.find.mockImplementation(() => {
      if (++polls === 3) row.status = 'decided';
      return Promise.resolve(row);
    });

    await expect(sut.waitUntilFinal(ACME_ID, 10_000)).resolves.toBe(true);
    expect(polls).toBe(3);
  });

  it('returns true for a failed submission', async () => {
    const { sut } = newTestService([fakeSubmission({ id: ACME_ID, status: 'failed' })]);
    await expect(sut.waitUntilFinal(ACME_ID, 10_000)).resolves.toBe(true);
  });

  it('returns false when the wait ends before the submission does', async () => {
    const { sut, mocks } = newTestService([fakeSubmission({ id: ACME_ID, status: 'deciding' })]);

    await expect(sut.waitUntilFinal(ACME_ID, 60)).resolves.toBe(false);
    expect(mocks.submissions.find.mock.calls.length).toBeGreaterThan(0);
  });
});

describe('ModerationService.list', () => {
  const item = (created: string) => ({
    id: created,
    status: 'decided' as const,
    event_id: created,
    created_at: new Date(created),
    verdict: null,
    safety_score: null,
  });

  it('offers the next page before the last item when the page is full', async () => {
    const { sut, mocks } = newTestService();
    mocks.submissions.list.mockResolvedValue([
      item('2026-01-02T00:00:00.000Z'),
      item('2026-01-01T00:00:00.000Z'),
    ]);

    const page = await sut.list({ tenant: 'acme', limit: 2 });

    expect(mocks.submissions.list).toHaveBeenCalledWith({ tenant: 'acme', limit: 2 });
    expect(page.next).toEqual({ before: '2026-01-01T00:00:00.000Z' });
  });

  it('offers no next page when the page is not full', async () => {
    const { sut, mocks } = newTestService();
    mocks.submissions.list.mockResolvedValue([item('2026-01-02T00:00:00.000Z')]);

    expect((await sut.list({ tenant: 'acme', limit: 2 })).next).toBeNull();
  });
});
