import { thresholdForRecall } from './metrics';
import {
  adviseCategory,
  adviseThreshold,
  volumesAt,
  withMargin,
  type AdviceOptions,
} from './threshold-advice';
import { thresholdForPrecision } from './metrics';

// Every expected value below is worked out by hand from the PR curve of the scores.
const options: AdviceOptions = {
  reviewRecall: 0.95,
  blockPrecision: 0.9,
  resamples: 500,
  seed: 3,
  minSamples: 30,
};

describe('threshold advice', () => {
  // Perfectly separated: any threshold in (0.2, 0.9446] gives precision and recall 1.
  const separated = [0.05, 0.1, 0.2, 0.9446, 0.97, 0.99];
  const separatedTruth = [false, false, false, true, true, true];

  it('moves a threshold to the middle of the gap that gives the same counts', () => {
    expect(withMargin(separated, 0.9446)).toEqual({ threshold: (0.2 + 0.9446) / 2, low: 0.2, high: 0.9446 });
    // Nothing below the lowest score: the gap reaches down to 0.
    expect(withMargin(separated, 0.05)).toEqual({ threshold: 0.025, low: 0, high: 0.05 });
  });

  it('recommends mid-gap thresholds, not the lowest positive score, with an interval inside the possible gaps', () => {
    const advice = adviseThreshold(
      separated,
      separatedTruth,
      (s, t) => thresholdForPrecision(s, t, 0.9),
      500,
      3,
    );
    expect(advice).not.toBeNull();
    expect(advice?.threshold).toBeCloseTo(0.5723, 10);
    expect(advice).toMatchObject({ precision: 1, recall: 1, gapLow: 0.2, gapHigh: 0.9446 });
    // A resample's gap runs from its highest negative (0.05–0.2, or 0 with none) to its lowest positive
    // (0.9446–0.99), so every resampled midpoint lies in [0.9446 / 2, (0.2 + 0.99) / 2].
    expect(advice?.low).toBeGreaterThanOrEqual(0.9446 / 2);
    expect(advice?.high).toBeLessThanOrEqual((0.2 + 0.99) / 2);
    expect(advice?.low).toBeLessThanOrEqual(advice?.high ?? 0);
    // Resamples without a positive cannot reach the target: (1/2)^6 of them on average.
    expect(advice?.reachedShare).toBeGreaterThan(0.9);
    expect(advice?.reachedShare).toBeLessThan(1);
  });

  // PR curve, threshold: precision / recall
  // 0.8: 1 / 1/3   0.7: 1 / 2/3   0.6: 2/3 / 2/3   0.35: 1/2 / 2/3   0.3: 3/5 / 1   0.1: 1/2 / 1
  const scores = [0.1, 0.3, 0.35, 0.6, 0.7, 0.8];
  const truth = [false, true, false, false, true, true];

  it('review keeps the recall target at the highest threshold; block reaches the precision with the most recall', () => {
    expect(thresholdForRecall(scores, truth, 0.95)?.threshold).toBe(0.3);
    expect(thresholdForRecall(scores, truth, 0.6)?.threshold).toBe(0.7);
    expect(thresholdForRecall(scores, [false, false, false, false, false, false], 0.5)).toBeUndefined();
    const a = adviseCategory(scores, truth, 'block', { review: 0.5, block: 0.9 }, options);
    expect(a.review?.threshold).toBeCloseTo(0.2, 10); // (0.1 + 0.3) / 2
    expect(a.block?.threshold).toBeCloseTo(0.65, 10); // (0.6 + 0.7) / 2
    expect(a.review).toMatchObject({ precision: 0.6, recall: 1 });
    expect(a.block).toMatchObject({ precision: 1 });
    expect(a.block?.recall).toBeCloseTo(2 / 3, 10);
    // At (0.2, 0.65): 0.7 and 0.8 are blocked, 0.3, 0.35 and 0.6 go to review.
    expect(a.recommended).toEqual({ images: 6, reviewQueue: 3, autoBlock: 2 });
    // At (0.5, 0.9): 0.6, 0.7, 0.8 reach review, none block.
    expect(a.current).toEqual({ images: 6, reviewQueue: 3, autoBlock: 0 });
    expect(a.warnings).toEqual([
      'small sample: 3 positive and 3 negative images (fewer than 30); treat these thresholds as a first guess and label more',
    ]);
  });

  it('warns of a small sample below the minimum of positives or of negatives, not at it', () => {
    const advise = (minSamples: number, t = truth) =>
      adviseCategory(scores, t, 'block', { review: 0.5, block: 0.9 }, { ...options, minSamples }).warnings;
    expect(advise(3)).toEqual([]);
    expect(advise(4)).toEqual([
      'small sample: 3 positive and 3 negative images (fewer than 4); treat these thresholds as a first guess and label more',
    ]);
    // Four positives, two negatives: the negatives alone are too few.
    expect(advise(3, [false, true, false, true, true, true])[0]).toMatch(
      /^small sample: 4 positive and 2 negative/,
    );
    // Two positives, four negatives: the positives alone are too few.
    expect(advise(3, [false, true, false, false, false, true])[0]).toMatch(
      /^small sample: 2 positive and 4 negative/,
    );
  });

  it('caps volumes by the action, as decisions are', () => {
    expect(volumesAt(scores, 'review', { review: 0.2, block: 0.65 })).toEqual({
      images: 6,
      reviewQueue: 5,
      autoBlock: 0,
    });
    // Inclusive at each threshold: 0.3 reaches review, 0.7 is blocked.
    expect(volumesAt(scores, 'block', { review: 0.3, block: 0.7 })).toEqual({
      images: 6,
      reviewQueue: 3,
      autoBlock: 2,
    });
    expect(volumesAt(scores, 'flag', { review: 0.2, block: 0.65 })).toEqual({
      images: 6,
      reviewQueue: 0,
      autoBlock: 0,
    });
  });

  it('never recommends review above block, and says why', () => {
    // recall 0.5 is kept up to 0.9 (review mid-gap 0.6); precision 0.6 with the most recall is at 0.2 (block 0.15).
    const a = adviseCategory(
      [0.1, 0.2, 0.3, 0.9],
      [false, true, false, true],
      'block',
      { review: 0.5, block: 0.9 },
      {
        ...options,
        reviewRecall: 0.5,
        blockPrecision: 0.6,
        minSamples: 1,
      },
    );
    expect(a.block?.threshold).toBeCloseTo(0.15, 10);
    expect(a.review?.threshold).toBeCloseTo(0.15, 10);
    expect(a.warnings).toEqual([
      'the block target was reachable in only 80% of bootstrap resamples',
      'the block threshold already keeps the review recall target: no review band is needed on this sample',
    ]);
  });

  it('warns when the advice would send most images to review (often a mislabelled positive)', () => {
    // The positive at 0.05 forces review down to 0.025: five of six images would go to review.
    const a = adviseCategory(
      [0.05, 0.1, 0.2, 0.3, 0.8, 0.9],
      [true, false, false, false, true, true],
      'review',
      { review: 0.5, block: 0.9 },
      { ...options, minSamples: 1 },
    );
    expect(a.review?.threshold).toBeCloseTo(0.025, 10);
    expect(a.recommended).toEqual({ images: 6, reviewQueue: 6, autoBlock: 0 });
    expect(a.warnings).toEqual([
      'the advised review threshold sends 100% of images to review: look at the lowest-scored positives for mislabelled images before using it',
    ]);
  });

  it('says when a target cannot be reached', () => {
    const a = adviseCategory(
      [0.1, 0.2],
      [true, false],
      'block',
      { review: 0.5, block: 0.9 },
      { ...options, minSamples: 1 },
    );
    expect(a.block).toBeNull();
    expect(a.warnings).toEqual([
      'no threshold reaches precision 0.9 for block',
      'the review target was reachable in only 74% of bootstrap resamples',
      'the advised review threshold sends 100% of images to review: look at the lowest-scored positives for mislabelled images before using it',
    ]);
    // Without a block recommendation the current block threshold stays.
    expect(a.recommended).toEqual({ images: 2, reviewQueue: 2, autoBlock: 0 });
  });
});
