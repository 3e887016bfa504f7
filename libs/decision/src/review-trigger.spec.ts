import { policySchema } from '@clipguard/policy';
import type { Decision } from './decision';
import { reviewPriority, reviewTrigger } from './review-trigger';

const decision = (verdict: Decision['verdict'], scores: Record<string, number>) =>
  ({ verdict, categoryScores: scores }) as Decision;
const none = { bands: {}, sampleRate: 0 };

describe('reviewTrigger', () => {
  it('sends the review verdict to moderators', () => {
    expect(reviewTrigger(decision('review', { red: 0.5 }), none)).toBe('verdict');
  });

  it('sends a score inside a band, inclusive at both ends, and nothing outside it', () => {
    const rules = { bands: { red: [0.3, 0.6] as const }, sampleRate: 0 };
    expect(reviewTrigger(decision('allow', { red: 0.3 }), rules)).toBe('band:red');
    expect(reviewTrigger(decision('block', { red: 0.6 }), rules)).toBe('band:red');
    expect(reviewTrigger(decision('allow', { red: 0.2999 }), rules)).toBeUndefined();
    expect(reviewTrigger(decision('allow', { red: 0.6001 }), rules)).toBeUndefined();
    expect(reviewTrigger(decision('allow', { star: 0.5 }), rules)).toBeUndefined();
  });

  it('samples automatic decisions at the configured rate, naming the verdict', () => {
    const rules = { bands: {}, sampleRate: 0.25 };
    expect(reviewTrigger(decision('allow', {}), rules, () => 0.2)).toBe('sample:allow');
    expect(reviewTrigger(decision('block', {}), rules, () => 0.2)).toBe('sample:block');
    expect(reviewTrigger(decision('allow', {}), rules, () => 0.25)).toBeUndefined();
    expect(reviewTrigger(decision('allow', {}), none, () => 0)).toBeUndefined();
  });

  it('prefers the verdict over a band, and a band over a sample', () => {
    const rules = { bands: { red: [0, 1] as const }, sampleRate: 1 };
    expect(reviewTrigger(decision('review', { red: 0.5 }), rules, () => 0)).toBe('verdict');
    expect(reviewTrigger(decision('allow', { red: 0.5 }), rules, () => 0)).toBe('band:red');
  });
});

describe('reviewPriority', () => {
  const policy = policySchema.parse({
    id: 'q',
    version: 1,
    description: 'queue order',
    model: { name: 'm' },
    templates: ['{}'],
    scoring: { method: 'softmax' },
    benign: ['n'],
    categories: [
      {
        id: 'gore',
        title: 'Gore',
        severity: 'critical',
        prompts: ['g'],
        thresholds: { review: 0.3, block: 0.6 },
      },
      {
        id: 'smoke',
        title: 'Smoke',
        severity: 'medium',
        prompts: ['s'],
        thresholds: { review: 0.3, block: 0.6 },
      },
      { id: 'ink', title: 'Ink', severity: 'low', prompts: ['i'], thresholds: { review: 0.3, block: 0.6 } },
    ],
  });
  const withReasons = (first: string, scores: Record<string, number>) =>
    ({ categoryScores: scores, reasons: [{ category: first }] }) as Decision;
  const noReasons = (scores: Record<string, number>) =>
    ({ categoryScores: scores, reasons: [] }) as unknown as Decision;

  it("ranks by the first reason's category: its severity and its score", () => {
    expect(reviewPriority(withReasons('smoke', { gore: 0.9, smoke: 0.4 }), policy)).toEqual({
      severity: 1,
      topCategory: 'smoke',
      topScore: 0.4,
    });
  });

  it('takes the highest-scoring category when no category crossed a threshold, the first listed on a tie', () => {
    expect(reviewPriority(noReasons({ gore: 0.1, smoke: 0.25, ink: 0.2 }), policy)).toEqual({
      severity: 1,
      topCategory: 'smoke',
      topScore: 0.25,
    });
    expect(reviewPriority(noReasons({ gore: 0.2, smoke: 0.2, ink: 0.2 }), policy)).toMatchObject({
      topCategory: 'gore',
      severity: 3,
    });
    expect(reviewPriority(noReasons({ ink: 0.2, smoke: 0.1 }), policy)).toMatchObject({
      topCategory: 'ink',
      severity: 0,
    });
  });

  it('has no severity without the policy or for a category the policy no longer has', () => {
    expect(reviewPriority(withReasons('gore', { gore: 0.7 }), undefined)).toEqual({
      severity: null,
      topCategory: 'gore',
      topScore: 0.7,
    });
    expect(reviewPriority(withReasons('retired', {}), policy)).toEqual({
      severity: null,
      topCategory: 'retired',
      topScore: null,
    });
  });

  it('has nothing to rank by for a decision without scores', () => {
    expect(reviewPriority(noReasons({}), policy)).toEqual({
      severity: null,
      topCategory: null,
      topScore: null,
    });
  });
});
