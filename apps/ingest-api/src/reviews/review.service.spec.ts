import { ApiError } from '@clipguard/contracts';
import { JobProducer } from '@clipguard/queue';
import { ReviewActionsRepository, ReviewRepository } from '@clipguard/storage';
import { mockOf, testTenants } from '@clipguard/testing';
import { ReviewService } from './review.service';

const REVIEW = '3d4e5f60-0000-4000-8000-000000000001';
const SUB = '3d4e5f60-0000-4000-8000-000000000002';
const resolution = { verdict: 'block' as const, moderator: 'mod-1', note: 'weapon', labels: ['red'] };

function newTestService() {
  const mocks = {
    reviews: mockOf(ReviewRepository),
    actions: mockOf(ReviewActionsRepository),
    producer: mockOf(JobProducer),
  };
  const tenants = testTenants({ acme: { callback_url: 'https://platform.example/callback' }, quiet: {} });
  return { sut: new ReviewService(mocks.reviews, mocks.actions, mocks.producer, tenants), mocks };
}

const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
};

describe('ReviewService', () => {
  it("lists the tenant's pending items with the limit asked for", async () => {
    const { sut, mocks } = newTestService();
    mocks.reviews.pending.mockResolvedValue([]);

    await sut.pending('acme', 7);

    expect(mocks.reviews.pending).toHaveBeenCalledWith('acme', 7);
  });

  it('resolves a pending item of the acting tenant as its named moderator, and sends the reviewed callback', async () => {
    const { sut, mocks } = newTestService();
    mocks.actions.resolve.mockResolvedValue({ submissionId: SUB, deliveryId: 'delivery-1' });

    await expect(sut.resolve('acme', REVIEW, resolution)).resolves.toEqual({
      id: REVIEW,
      status: 'resolved:block',
    });

    const args = mocks.actions.resolve.mock.calls[0][0];
    expect(args).toMatchObject({
      id: REVIEW,
      tenants: ['acme'],
      actor: { userId: null, name: 'mod-1' },
      holder: null,
      verdict: 'block',
      labels: ['red'],
      note: 'weapon',
    });
    expect(args.callback?.url).toBe('https://platform.example/callback');
    expect(args.callback?.payload({ reviewId: REVIEW, submissionId: SUB, resolvedAt: new Date(0) })).toEqual({
      id: SUB,
      review_id: REVIEW,
      verdict: 'block',
      labels: ['red'],
      reviewed_at: '1970-01-01T00:00:00.000Z',
    });
    expect(mocks.producer.enqueue).toHaveBeenCalledWith('callback', { v: 1, deliveryId: 'delivery-1' });
  });

  it('records no callback for a tenant without a callback URL', async () => {
    const { sut, mocks } = newTestService();
    mocks.actions.resolve.mockResolvedValue({ submissionId: SUB });

    await sut.resolve('quiet', REVIEW, resolution);

    expect(mocks.actions.resolve.mock.calls[0][0].callback).toBeUndefined();
    expect(mocks.producer.enqueue).not.toHaveBeenCalled();
  });

  it('answers REVIEW_NOT_PENDING (409) when nothing was resolved', async () => {
    const { sut, mocks } = newTestService();
    mocks.actions.resolve.mockResolvedValue(undefined);

    const err = await refusal(sut.resolve('acme', REVIEW, resolution));

    expect([err.code, err.status]).toEqual(['REVIEW_NOT_PENDING', 409]);
  });

  it('answers REVIEW_NOT_PENDING for an id that is not a uuid without querying', async () => {
    const { sut, mocks } = newTestService();

    expect((await refusal(sut.resolve('acme', 'not-a-uuid', resolution))).code).toBe('REVIEW_NOT_PENDING');
    expect(mocks.actions.resolve).not.toHaveBeenCalled();
  });
});
