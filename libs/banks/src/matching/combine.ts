import type { Verdict } from '@clipguard/decision';
import type { BankMatch, BankOutcome } from './match';

export type CombineRule =
  | 'policy'
  | 'allow-bank-overrides-policy'
  | 'block-bank-overrides-policy'
  | 'review-bank-raises-to-review'
  | 'policy-block-outranks-review-bank';

export interface CombinedVerdict {
  verdict: Verdict;
  decidedBy: 'policy' | 'bank';
  rule: CombineRule;
  policyVerdict: Verdict;
  /** The bank match that decided, or that was outranked (review bank under a policy block). */
  bankMatch?: BankMatch;
}

/**
 * A bank match against the policy's verdict. An allow bank holds known false positives, so it
 * overrides any policy verdict; a block bank holds known bad content, so it blocks whatever the policy
 * said (and so ends a review); a review bank sends the item to a human but never softens a policy block.
 */
export function combineWithPolicy(policyVerdict: Verdict, outcome: BankOutcome): CombinedVerdict {
  const match = outcome.winner;
  if (!match) return { verdict: policyVerdict, decidedBy: 'policy', rule: 'policy', policyVerdict };
  switch (match.action) {
    case 'allow':
      return {
        verdict: 'allow',
        decidedBy: 'bank',
        rule: 'allow-bank-overrides-policy',
        policyVerdict,
        bankMatch: match,
      };
    case 'block':
      return {
        verdict: 'block',
        decidedBy: 'bank',
        rule: 'block-bank-overrides-policy',
        policyVerdict,
        bankMatch: match,
      };
    case 'review':
      return policyVerdict === 'block'
        ? {
            verdict: 'block',
            decidedBy: 'policy',
            rule: 'policy-block-outranks-review-bank',
            policyVerdict,
            bankMatch: match,
          }
        : {
            verdict: 'review',
            decidedBy: 'bank',
            rule: 'review-bank-raises-to-review',
            policyVerdict,
            bankMatch: match,
          };
  }
}
