import {
  averagePrecision,
  bootstrap,
  countsAt,
  f1,
  precision,
  prCurve,
  recall,
  rocAuc,
  thresholdForPrecision,
  thresholdForRecall,
} from './metrics';

// Hand-checked against scikit-learn: roc_auc_score([0,0,1,1],[.1,.4,.35,.8]) = 0.75,
// average_precision_score(same) = 0.8333…
const scores = [0.1, 0.4, 0.35, 0.8];
const truth = [false, false, true, true];

describe('metrics', () => {
  it('counts, precision, recall and F1 at a threshold', () => {
    const c = countsAt(scores, truth, 0.35);
    expect(c).toEqual({ tp: 2, fp: 1, fn: 0, tn: 1 });
    expect(precision(c)).toBeCloseTo(2 / 3, 10);
    expect(recall(c)).toBe(1);
    expect(f1(c)).toBeCloseTo(0.8, 10);
  });

  it('ROC-AUC and average precision match scikit-learn', () => {
    expect(rocAuc(scores, truth)).toBeCloseTo(0.75, 10);
    expect(averagePrecision(scores, truth)).toBeCloseTo(0.833333, 5);
    expect(rocAuc([0.5, 0.5], [true, false])).toBe(0.5);
    expect(rocAuc([0.1, 0.2], [true, true])).toBeNaN();
  });

  it('PR curve and the threshold reaching a target precision', () => {
    expect(prCurve(scores, truth).map((p) => p.threshold)).toEqual([0.8, 0.4, 0.35, 0.1]);
    expect(thresholdForPrecision(scores, truth, 0.6)).toMatchObject({ threshold: 0.35, recall: 1 });
    expect(thresholdForPrecision(scores, truth, 0.9)).toMatchObject({ threshold: 0.8, recall: 0.5 });
  });

  it('the highest threshold reaching a target recall', () => {
    // recall is 0.5 at 0.8 and at 0.4 (precision 1 vs 0.5): the higher one wins
    expect(thresholdForRecall(scores, truth, 0.5)).toMatchObject({ threshold: 0.8, precision: 1 });
    expect(thresholdForRecall(scores, truth, 0.9)).toMatchObject({ threshold: 0.35, recall: 1 });
    expect(thresholdForRecall(scores, [false, false, false, false], 0.5)).toBeUndefined();
  });

  it('bootstrap intervals contain the point estimate and are reproducible', () => {
    const s = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 0.7 : 0.3) + (i % 7) / 100);
    const t = s.map((_, i) => i % 3 === 0 || i % 11 === 0);
    const a = bootstrap(s, t, rocAuc, 300, 5);
    expect(a.low).toBeLessThanOrEqual(a.value);
    expect(a.high).toBeGreaterThanOrEqual(a.value);
    expect(a.high).toBeGreaterThan(a.low);
    expect(bootstrap(s, t, rocAuc, 300, 5)).toEqual(a);
  });
});
