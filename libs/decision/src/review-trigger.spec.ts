import type { Decision } from './decision';
import { reviewTrigger } from './review-trigger';

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
