import type { Decision } from '@clipguard/decision';

/** The decision as the API and callbacks return it: hosted-moderation fields plus our transparency. */
export function decisionJson(
  submissionId: string,
  d: Decision,
  shadow: Decision | undefined,
  timings: Record<string, number>,
) {
  return {
    id: submissionId,
    flagged: d.flagged,
    categories: d.categories,
    category_scores: d.categoryScores,
    verdict: d.verdict,
    safety_score: d.safetyScore,
    reasons: d.reasons,
    policy: d.policy,
    model_id: d.modelId,
    shadow: shadow
      ? { verdict: shadow.verdict, category_scores: shadow.categoryScores, policy: shadow.policy }
      : null,
    timings,
  };
}
