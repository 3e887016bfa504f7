import { GUARDS_METADATA } from '@nestjs/common/constants';
import { mockOf } from '@clipguard/testing';
import { ApiKeyGuard } from '../common/api-key.guard';
import { ReviewController } from './review.controller';
import { ReviewService } from './review.service';

const REVIEW = '5f607182-0000-4000-8000-000000000001';

function newTestController() {
  const mocks = { reviews: mockOf(ReviewService) };
  return { sut: new ReviewController(mocks.reviews), mocks };
}

describe('ReviewController', () => {
  it('is behind the API key guard', () => {
    expect(Reflect.getMetadata(GUARDS_METADATA, ReviewController)).toContain(ApiKeyGuard);
  });

  it("lists the acting tenant's pending items", async () => {
    const { sut, mocks } = newTestController();
    mocks.reviews.pending.mockResolvedValue([]);

    expect(await sut.pending('acme', { limit: 20 })).toEqual({ items: [] });
    expect(mocks.reviews.pending).toHaveBeenCalledWith('acme', 20);
  });

  it('resolves an item for the acting tenant', async () => {
    const { sut, mocks } = newTestController();
    mocks.reviews.resolve.mockResolvedValue({ id: REVIEW, status: 'resolved:allow' });
    const body = { verdict: 'allow' as const, moderator: 'mod-1' };

    expect(await sut.resolve('acme', REVIEW, body)).toEqual({ id: REVIEW, status: 'resolved:allow' });
    expect(mocks.reviews.resolve).toHaveBeenCalledWith('acme', REVIEW, body);
  });
});
