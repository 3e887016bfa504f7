import { ApiError } from '@clipguard/contracts';
import { ReviewRepository } from '@clipguard/storage';
import { mockOf } from '@clipguard/testing';
import { ReviewService } from './review.service';

const REVIEW = '3d4e5f60-0000-4000-8000-000000000001';
const resolution = { verdict: 'block' as const, moderator: 'mod-1', note: 'weapon' };

function newTestService() {
  const mocks = { reviews: mockOf(ReviewRepository) };
  return { sut: new ReviewService(mocks.reviews), mocks };
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

  it('resolves a pending item of the acting tenant', async () => {
    const { sut, mocks } = newTestService();
    mocks.reviews.resolve.mockResolvedValue({ id: REVIEW, status: 'resolved:block' });

    await expect(sut.resolve('acme', REVIEW, resolution)).resolves.toEqual({
      id: REVIEW,
      status: 'resolved:block',
    });
    expect(mocks.reviews.resolve).toHaveBeenCalledWith(REVIEW, 'acme', resolution);
  });

  it('answers REVIEW_NOT_PENDING (409) when the repository resolved nothing', async () => {
    const { sut, mocks } = newTestService();
    mocks.reviews.resolve.mockResolvedValue(undefined);

    const err = await refusal(sut.resolve('acme', REVIEW, resolution));

    expect(err.code).toBe('REVIEW_NOT_PENDING');
    expect(err.status).toBe(409);
  });

  it('answers REVIEW_NOT_PENDING for an id that is not a uuid without querying', async () => {
    const { sut, mocks } = newTestService();

    expect((await refusal(sut.resolve('acme', 'not-a-uuid', resolution))).code).toBe('REVIEW_NOT_PENDING');
    expect(mocks.reviews.resolve).not.toHaveBeenCalled();
  });
});
