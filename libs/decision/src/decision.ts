import type { Verdict } from '@clipguard/contracts';
import { flattenCategories, type CompiledPolicy, type PolicyScores, type Severity } from '@clipguard/policy';

export type { Verdict };

/** What a decision needs of a compiled policy: the policy, its hash, and the model that scored it. */
export type DecisionBasis = Pick<CompiledPolicy, 'policy' | 'hash' | 'modelId'>;
const VERDICT_RANK: Record<Verdict, number> = { allow: 0, review: 1, block: 2 };
const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export interface Reason {
  category: string;
  title: string;
  severity: Severity;
  score: number;
  /** Which threshold the score crossed, and its value. */
  threshold: 'review' | 'block';
  thresholdValue: number;
  /** What the category's action made of it. */
  verdict: Verdict;
  topPrompt: string;
  frame: number;
}

export interface PolicyRef {
  id: string;
  version: number;
  hash: string;
}

export interface Decision {
  verdict: Verdict;
  /** 1 − the largest fraction of its block threshold that any category reached (capped at 1). */
  safetyScore: number;
  flagged: boolean;
  categories: Record<string, boolean>;
  categoryScores: Record<string, number>;
  reasons: Reason[];
  attributes: PolicyScores['attributes'];
  policy: PolicyRef;
  modelId: string;
}

function categoryVerdict(
  score: number,
  t: { review: number; block: number },
  action: 'block' | 'review' | 'flag',
) {
  const crossed: 'review' | 'block' | undefined =
    score >= t.block ? 'block' : score >= t.review ? 'review' : undefined;
  if (!crossed) return undefined;
  const verdict: Verdict = action === 'flag' ? 'allow' : action === 'review' ? 'review' : crossed;
  return { crossed, verdict };
}

/**
 * Scores + policy → decision. Each category's score is compared with its thresholds; its action caps
 * what it can do (flag: report only; review: at most review). The verdict is the most severe category
 * verdict; reasons are ordered by verdict, then severity, then score.
 */
export function decide(compiled: DecisionBasis, scores: PolicyScores): Decision {
  const reasons: Reason[] = [];
  const categories: Record<string, boolean> = {};
  const categoryScores: Record<string, number> = {};
  let risk = 0;
  for (const { category } of flattenCategories(compiled.policy.categories)) {
    const s = scores.categories[category.id];
    categoryScores[category.id] = s.score;
    categories[category.id] = false;
    if (!s.evaluated) continue;
    risk = Math.max(
      risk,
      category.thresholds.block > 0 ? Math.min(1, s.score / category.thresholds.block) : 1,
    );
    const v = categoryVerdict(s.score, category.thresholds, category.action);
    if (!v) continue;
    categories[category.id] = true;
    reasons.push({
      category: category.id,
      title: category.title,
      severity: category.severity,
      score: s.score,
      threshold: v.crossed,
      thresholdValue: category.thresholds[v.crossed],
      verdict: v.verdict,
      topPrompt: s.topPrompt,
      frame: s.frame,
    });
  }
  reasons.sort(
    (a, b) =>
      VERDICT_RANK[b.verdict] - VERDICT_RANK[a.verdict] ||
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      b.score - a.score,
  );
  const verdict = reasons.reduce<Verdict>(
    (v, r) => (VERDICT_RANK[r.verdict] > VERDICT_RANK[v] ? r.verdict : v),
    'allow',
  );
  const { id, version } = compiled.policy;
  return {
    verdict,
    safetyScore: 1 - risk,
    flagged: reasons.length > 0,
    categories,
    categoryScores,
    reasons,
    attributes: scores.attributes,
    policy: { id, version, hash: compiled.hash },
    modelId: compiled.modelId,
  };
}
