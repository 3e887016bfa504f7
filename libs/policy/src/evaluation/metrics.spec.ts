import {
  averagePrecision,
  bootstrap,
  countsAt,
  f1,
  precision,
  prCurve,
  recall,
  rocAuc,
  resample,
  seededRandom,
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

  it('has defined edge values: nothing flagged, nothing to find, neither', () => {
    expect(precision({ tp: 0, fp: 0, fn: 2, tn: 2 })).toBe(1);
    expect(recall({ tp: 0, fp: 1, fn: 0, tn: 3 })).toBe(0);
    expect(f1({ tp: 0, fp: 1, fn: 1, tn: 2 })).toBe(0);
    // p = 1/4, r = 1/2: 2pr / (p + r) = 1/3
    expect(f1({ tp: 1, fp: 3, fn: 1, tn: 0 })).toBeCloseTo(1 / 3, 10);
    // Equal precision and recall: F1 is that value.
    expect(f1({ tp: 1, fp: 1, fn: 1, tn: 0 })).toBe(0.5);
    expect(rocAuc([0.1, 0.2], [false, false])).toBeNaN();
    expect(averagePrecision([0.1, 0.2], [false, false])).toBeNaN();
  });

  it('takes a precision target as reached when met exactly, and the highest threshold among equal recalls', () => {
    // Curve: 0.8 (1, 0.5), 0.4 (0.5, 0.5), 0.35 (2/3, 1), 0.1 (0.5, 1).
    expect(thresholdForPrecision(scores, truth, 2 / 3)).toMatchObject({ threshold: 0.35, recall: 1 });
    expect(thresholdForPrecision(scores, truth, 0.5)).toMatchObject({ threshold: 0.35, recall: 1 });
  });

  it('needs a positive caught even for a recall target of 0', () => {
    // At 0.9 only the negative is flagged: recall 0.
    expect(thresholdForRecall([0.9, 0.5], [false, true], 0)).toMatchObject({ threshold: 0.5, recall: 1 });
  });

  it('resamples as many pairs as given, each score with its own label', () => {
    const s = [0.1, 0.2, 0.3, 0.4, 0.5];
    const t = [true, false, true, false, true];
    const r = resample(s, t, seededRandom(9));
    expect(r.s).toHaveLength(5);
    r.s.forEach((v, i) => expect(r.t[i]).toBe(t[s.indexOf(v)]));
  });

  it('bootstrap leaves out resamples where the metric is undefined, and has no interval without resamples', () => {
    const s = [0.1, 0.2, 0.3];
    const t = [true, false, false];
    // Defined (1) only on resamples that drew the positive.
    const onlyWithPositives = (_: number[], tt: boolean[]) => (tt.some(Boolean) ? 1 : NaN);
    expect(bootstrap(s, t, onlyWithPositives, 200, 4)).toEqual({ value: 1, low: 1, high: 1 });
    expect(bootstrap(s, t, () => 0.5, 1, 4)).toEqual({ value: 0.5, low: 0.5, high: 0.5 });
    const none = bootstrap(s, t, () => 0.5, 0, 4);
    expect(none.value).toBe(0.5);
    expect(none.low).toBeNaN();
    expect(none.high).toBeNaN();
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
