import { SEVERITIES, flattenCategories, type Policy } from '@clipguard/policy';
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

export interface ReviewPriority {
  /** Severity rank of the top category: low 0, medium 1, high 2, critical 3. */
  severity: number | null;
  topCategory: string | null;
  topScore: number | null;
}

/**
 * What orders a review queue: the top category — the first reason (the most severe verdict, then severity,
 * then score), or for a decision without reasons the highest-scoring category — its severity and score.
 */
export function reviewPriority(d: Decision, policy: Policy | undefined): ReviewPriority {
  const top =
    d.reasons[0]?.category ??
    Object.entries(d.categoryScores).reduce<[string, number] | undefined>(
      (best, cur) => (best === undefined || cur[1] > best[1] ? cur : best),
      undefined,
    )?.[0];
  if (top === undefined) return { severity: null, topCategory: null, topScore: null };
  const category =
    policy && flattenCategories(policy.categories).find((c) => c.category.id === top)?.category;
  return {
    severity: category ? SEVERITIES.indexOf(category.severity) : null,
    topCategory: top,
    topScore: d.categoryScores[top] ?? null,
  };
}
