import type { AuditedDecision, FairnessSubject, HumanLabel } from '../input';

/** What one decision counts towards in one slice (overall, or one category). */
export interface Outcome {
  flagged: boolean;
  review: boolean;
  block: boolean;
  /** Set only where the decision is a candidate: automatically flagged and labelled by a human. */
  falsePositive?: boolean;
  /** Set only where the decision is a candidate: automatically allowed and in the random QA sample. */
  falseNegative?: boolean;
}

export type OutcomeOf = (d: AuditedDecision) => Outcome;

/**
 * Overall: flagged when any category crossed a threshold; false positive when a human allowed what the
 * policy sent to review or blocked; false negative when a human blocked a QA-sampled automatic allow.
 */
export const overallOutcome: OutcomeOf = (d) => ({
  flagged: d.reasons.length > 0,
  review: d.verdict === 'review',
  block: d.verdict === 'block',
  ...(d.label && d.verdict !== 'allow' ? { falsePositive: d.label.verdict === 'allow' } : {}),
  ...(d.label?.source === 'qa' && d.verdict === 'allow'
    ? { falseNegative: d.label.verdict === 'block' }
    : {}),
});

/** Each category with itself and every category below it. */
export function descendantsOf(subject: FairnessSubject): Map<string, Set<string>> {
  const parentOf = new Map(subject.categories.map((c) => [c.id, c.parent]));
  const result = new Map(subject.categories.map((c) => [c.id, new Set([c.id])]));
  for (const c of subject.categories) {
    for (let p = c.parent; p; p = parentOf.get(p)) result.get(p)?.add(c.id);
  }
  return result;
}

const humanFinds = (label: HumanLabel, ids: ReadonlySet<string>) => label.categories.some((c) => ids.has(c));

/**
 * One category: flagged when it crossed a threshold (its reason's verdict tells review from block); false
 * positive when it was flagged and the human did not find it; false negative when it was not flagged in a
 * QA sample and the human found it.
 */
export function categoryOutcome(category: string, ids: ReadonlySet<string>): OutcomeOf {
  return (d) => {
    const reason = d.reasons.find((r) => r.category === category);
    const label = d.label;
    return {
      flagged: reason !== undefined,
      review: reason?.verdict === 'review',
      block: reason?.verdict === 'block',
      ...(label && reason ? { falsePositive: !humanFinds(label, ids) } : {}),
      ...(label?.source === 'qa' && !reason ? { falseNegative: humanFinds(label, ids) } : {}),
    };
  };
}
