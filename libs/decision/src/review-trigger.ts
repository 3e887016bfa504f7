import type { Decision } from './decision';

export interface ReviewRules {
  /** Per category, a score band whose decisions a human sees whatever the verdict (A2I-style). */
  bands: Record<string, readonly [number, number]>;
  /** Share of the other decisions sampled for quality review. */
  sampleRate: number;
}

/**
 * Why a decision goes to a moderator, if it does: the review verdict first, then a category's score band,
 * then a random QA sample of what was decided automatically (`sample:allow`, `sample:block`).
 */
export function reviewTrigger(
  d: Decision,
  rules: ReviewRules,
  random: () => number = Math.random,
): string | undefined {
  if (d.verdict === 'review') return 'verdict';
  for (const [category, [lo, hi]] of Object.entries(rules.bands)) {
    const score = d.categoryScores[category];
    if (score !== undefined && score >= lo && score <= hi) return `band:${category}`;
  }
  if (rules.sampleRate > 0 && random() < rules.sampleRate) return `sample:${d.verdict}`;
  return undefined;
}
