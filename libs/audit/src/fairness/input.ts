import type { Decision, Verdict } from '@clipguard/decision';
import { flattenCategories, type Policy } from '@clipguard/policy';

export type { Verdict };

/** One attribute probe's result as a decision records it (`Decision.attributes`). */
export interface ProbeReading {
  value: string;
  confidence: number;
  /** Top minus second probability; absent on decisions recorded before probes kept it. */
  margin?: number;
}

/** A moderator's resolution of a review or QA item: the ground truth. */
export interface HumanLabel {
  verdict: 'allow' | 'block';
  /** Category ids the moderator found present (a parent counts as present when a child is). */
  categories: readonly string[];
  /** `review`: the policy (verdict or a score band) sent it to a human; `qa`: a random QA sample. */
  source: 'review' | 'qa';
}

/** What the fairness figures read per decision; everything here is stored with the decision. */
export interface AuditedDecision {
  submissionId: string;
  decidedAt: Date;
  verdict: Verdict;
  categoryScores: Readonly<Record<string, number>>;
  /** Each category that crossed a threshold, with what its action made of it (`Decision.reasons`). */
  reasons: readonly { category: string; verdict: Verdict }[];
  attributes: Readonly<Record<string, ProbeReading>>;
  label?: HumanLabel;
}

export interface CategoryRef {
  id: string;
  title: string;
  parent?: string;
}

export interface ProbeRef {
  id: string;
  title: string;
  values: readonly string[];
}

/** The policy version the figures are about: which categories and attribute probes to report. */
export interface FairnessSubject {
  policy: { id: string; version: number };
  categories: readonly CategoryRef[];
  probes: readonly ProbeRef[];
}

export function subjectOf(policy: Policy): FairnessSubject {
  return {
    policy: { id: policy.id, version: policy.version },
    categories: flattenCategories(policy.categories).map(({ category, parent }) => ({
      id: category.id,
      title: category.title,
      ...(parent ? { parent } : {}),
    })),
    probes: policy.attributes.map((a) => ({ id: a.id, title: a.title, values: a.values.map((v) => v.id) })),
  };
}

export function auditedFromDecision(
  submissionId: string,
  decidedAt: Date,
  d: Decision,
  label?: HumanLabel,
): AuditedDecision {
  return {
    submissionId,
    decidedAt,
    verdict: d.verdict,
    categoryScores: d.categoryScores,
    reasons: d.reasons.map((r) => ({ category: r.category, verdict: r.verdict })),
    attributes: d.attributes,
    ...(label ? { label } : {}),
  };
}
