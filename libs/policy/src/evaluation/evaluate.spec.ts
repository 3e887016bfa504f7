import type { Verdict } from '@clipguard/contracts';
import { policySchema } from '../schema';
import type { PolicyScores } from '../scoring';
import {
  categoryTruth,
  evaluatePolicy,
  type CategoryEvaluation,
  type EvaluationReport,
  type LabelledResult,
} from './evaluate';

const policy = policySchema.parse({
  id: 'eval',
  version: 1,
  description: 'evaluation by hand',
  model: { name: 'm' },
  templates: ['{}'],
  scoring: { method: 'softmax' },
  benign: ['n'],
  categories: [
    {
      id: 'red',
      title: 'Red',
      severity: 'high',
      prompts: ['r'],
      thresholds: { review: 0.4, block: 0.7 },
    },
    {
      id: 'weapons',
      title: 'Weapons',
      severity: 'high',
      action: 'review',
      prompts: ['w'],
      thresholds: { review: 0.3, block: 0.8 },
      children: [
        {
          id: 'knife',
          title: 'Knife',
          severity: 'high',
          prompts: ['k'],
          thresholds: { review: 0.5, block: 0.9 },
        },
      ],
    },
  ],
});

function result(
  path: string,
  truth: string[],
  verdict: Verdict,
  values: Record<string, number>,
): LabelledResult {
  const categories: PolicyScores['categories'] = {};
  for (const id of ['red', 'weapons', 'knife']) {
    categories[id] = { score: values[id] ?? 0, evaluated: true, topPrompt: id, topSimilarity: 0.2, frame: 0 };
  }
  return { path, truth, verdict, scores: { categories, attributes: {} } };
}

// Every expected value below is worked out by hand from these nine images.
const results = [
  // b before a: the mistake lists must sort, not keep this order. b's top category is knife, not red.
  result('b.png', [], 'review', { red: 0.4, knife: 0.45 }),
  result('a.png', [], 'block', { red: 0.8, weapons: 0.1 }),
  result('c.png', [], 'allow', { red: 0.1 }),
  result('d.png', ['red'], 'allow', { red: 0.39 }),
  result('e.png', ['red'], 'allow', { red: 0.2 }),
  result('f.png', ['knife'], 'review', { weapons: 0.6, knife: 0.5 }),
  result('g.png', ['red'], 'block', { red: 0.9 }),
  result('h.png', ['knife', 'red'], 'allow', { red: 0.1, weapons: 0.2, knife: 0.05 }),
  // Labelled with a category the policy no longer has.
  result('i.png', ['retired'], 'allow', {}),
];
const options = { resamples: 20 };
const paths = (ms: { path: string }[]) => ms.map((m) => m.path);

describe('categoryTruth', () => {
  it('counts a category present when it or any descendant is labelled', () => {
    const truth = categoryTruth(policy, results);
    expect(truth.get('red')).toEqual([false, false, false, true, true, false, true, true, false]);
    expect(truth.get('knife')).toEqual([false, false, false, false, false, true, false, true, false]);
    expect(truth.get('weapons')).toEqual(truth.get('knife'));
  });
});

describe('evaluatePolicy', () => {
  // Evaluated in each test, not once for the file: mutation testing credits code only to the test that ran it.
  let report: EvaluationReport;
  let red: CategoryEvaluation;
  beforeEach(() => {
    report = evaluatePolicy(policy, results, options);
    red = report.categories[0];
  });

  it('counts verdicts against the labels, and the review queue and blocks they make', () => {
    expect(report.images).toBe(9);
    expect(report.confusion).toEqual({
      clean: { allow: 1, review: 1, block: 1 },
      harmful: { allow: 4, review: 1, block: 1 },
    });
    expect(report.volumes).toEqual({ images: 9, reviewQueue: 2, autoBlock: 2 });
  });

  it('uses the documented defaults for the targets and the sample warning', () => {
    expect(report).toMatchObject({ targetPrecision: 0.9, targetRecall: 0.95, minSamples: 30 });
    const custom = evaluatePolicy(policy, results, { ...options, targetPrecision: 0.85, targetRecall: 0.7 });
    expect(custom).toMatchObject({ targetPrecision: 0.85, targetRecall: 0.7 });
    expect(custom.categories[0].sweep.map((s) => s.targetPrecision)).toEqual([
      0.5, 0.8, 0.85, 0.9, 0.95, 0.99,
    ]);
    expect(red.sweep.map((s) => s.targetPrecision)).toEqual([0.5, 0.8, 0.9, 0.95, 0.99]);
  });

  it('describes each category: its labels, thresholds and where its scores fell against them', () => {
    expect(report.categories.map((c) => c.id)).toEqual(['red', 'weapons', 'knife']);
    expect(report.categories[2]).toMatchObject({ positives: 2, negatives: 7 });
    expect(red).toMatchObject({
      title: 'Red',
      action: 'block',
      positives: 4,
      negatives: 5,
      reviewThreshold: 0.4,
      blockThreshold: 0.7,
    });
    // Inclusive at each threshold: b (0.4) is in the review band.
    expect(red.confusion).toEqual({
      positive: { below: 3, review: 0, block: 1 },
      negative: { below: 3, review: 1, block: 1 },
    });
    expect(report.categories[1]).toMatchObject({ action: 'review', positives: 2, negatives: 7 });
    // At its review threshold 0.4, red flags a, b (negatives) and g (positive) of its four positives.
    expect(red.precision.value).toBeCloseTo(1 / 3, 10);
    expect(red.recall.value).toBeCloseTo(1 / 4, 10);
    expect(red.f1.value).toBeCloseTo(2 / 7, 10);
    // Precision 0.5 is first kept with all recall at 0.1 (4/7); 0.99 only at 0.9 (g alone).
    expect(red.sweep[0]).toEqual({ targetPrecision: 0.5, threshold: 0.1, recall: 1 });
    expect(red.sweep[4]).toEqual({ targetPrecision: 0.99, threshold: 0.9, recall: 0.25 });
  });

  it("lists a category's mistakes at its review threshold: reached by negatives highest first, missed by positives lowest first", () => {
    expect(paths(red.falsePositives)).toEqual(['a.png', 'b.png']);
    expect(red.falsePositives[0]).toEqual({ path: 'a.png', category: 'red', score: 0.8, verdict: 'block' });
    expect(paths(red.falseNegatives)).toEqual(['h.png', 'e.png', 'd.png']);
    // f is a weapons positive at 0 for red, not a red mistake; g is a red positive above the threshold.
    const limited = evaluatePolicy(policy, results, { ...options, mistakes: 1 });
    expect(paths(limited.categories[0].falsePositives)).toEqual(['a.png']);
    expect(paths(limited.categories[0].falseNegatives)).toEqual(['h.png']);
  });

  it('lists verdict mistakes: clean images flagged by their top category, harmful ones allowed by their weakest label', () => {
    expect(report.falsePositives).toEqual([
      { path: 'a.png', category: 'red', score: 0.8, verdict: 'block' },
      { path: 'b.png', category: 'knife', score: 0.45, verdict: 'review' },
    ]);
    expect(report.falseNegatives).toEqual([
      { path: 'i.png', category: 'retired', score: 0, verdict: 'allow' },
      { path: 'h.png', category: 'knife', score: 0.05, verdict: 'allow' },
      { path: 'e.png', category: 'red', score: 0.2, verdict: 'allow' },
      { path: 'd.png', category: 'red', score: 0.39, verdict: 'allow' },
    ]);
    const limited = evaluatePolicy(policy, results, { ...options, mistakes: 1 });
    expect(paths(limited.falsePositives)).toEqual(['a.png']);
    expect(paths(limited.falseNegatives)).toEqual(['i.png']);
  });
});
