import { brierScore, expectedCalibrationError, reliabilityBins, scoreHistogram } from './distribution';
import { categoryMistakes } from './mistakes';

describe('score distributions', () => {
  it('puts a score of 1 in the last reliability bin, and has no calibration error without scores', () => {
    expect(reliabilityBins([1, 0.95], [true, false], 10)).toEqual([
      { low: 0.9, high: 1, count: 2, meanScore: 0.975, positiveRate: 0.5 },
    ]);
    expect(expectedCalibrationError([])).toBeNaN();
    expect(brierScore([], [])).toBeNaN();
  });

  it('counts positives and negatives per bin, a score of 1 in the last bin', () => {
    expect(scoreHistogram([0, 0.05, 0.5, 1], [false, true, true, false], 4)).toEqual([
      { low: 0, high: 0.25, positives: 1, negatives: 1 },
      { low: 0.25, high: 0.5, positives: 0, negatives: 0 },
      { low: 0.5, high: 0.75, positives: 1, negatives: 0 },
      { low: 0.75, high: 1, positives: 0, negatives: 1 },
    ]);
  });

  it('reliability bins, expected calibration error and Brier score', () => {
    const scores = [0.1, 0.15, 0.8, 0.9];
    const truth = [false, true, true, true];
    const bins = reliabilityBins(scores, truth, 2);
    expect(bins).toHaveLength(2);
    expect(bins[0]).toMatchObject({ low: 0, high: 0.5, count: 2, positiveRate: 0.5 });
    expect(bins[0].meanScore).toBeCloseTo(0.125, 12);
    expect(bins[1]).toMatchObject({ count: 2, positiveRate: 1 });
    expect(bins[1].meanScore).toBeCloseTo(0.85, 12);
    // 0.5 · |0.125 − 0.5| + 0.5 · |0.85 − 1|
    expect(expectedCalibrationError(bins)).toBeCloseTo(0.2625, 12);
    // (0.1² + 0.85² + 0.2² + 0.1²) / 4
    expect(brierScore(scores, truth)).toBeCloseTo(0.195625, 12);
    expect(reliabilityBins([0.95], [true], 10)).toEqual([
      { low: 0.9, high: 1, count: 1, meanScore: 0.95, positiveRate: 1 },
    ]);
  });
});

describe('category mistakes', () => {
  const result = (path: string, score: number, truth: string[], verdict: 'allow' | 'review' | 'block') => ({
    path,
    truth,
    verdict,
    scores: { categories: { star: { score } } },
  });
  it('lists negatives at or above review (highest first) and positives under it (lowest first), whatever the verdict', () => {
    const results = [
      result('a', 0.9, [], 'block'),
      result('b', 0.5, [], 'review'),
      result('c', 0.1, ['star'], 'block'), // a miss for star, hidden by another category's block
      result('d', 0.3, ['star'], 'allow'),
      result('e', 0.7, ['star'], 'review'),
    ];
    const truth = [false, false, true, true, true];
    const m = categoryMistakes('star', results, truth, 0.4, 10);
    expect(m.falsePositives.map((x) => x.path)).toEqual(['a', 'b']);
    expect(m.falseNegatives).toEqual([
      { path: 'c', category: 'star', score: 0.1, verdict: 'block' },
      { path: 'd', category: 'star', score: 0.3, verdict: 'allow' },
    ]);
    expect(categoryMistakes('star', results, truth, 0.4, 1).falseNegatives).toHaveLength(1);
  });
});
