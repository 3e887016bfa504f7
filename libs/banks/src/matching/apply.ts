import type { DecideBanks } from '@clipguard/contracts';
import type { Decision } from '@clipguard/decision';
import { combineWithPolicy, type CombineRule } from './combine';
import type { BankMatch, BankOutcome } from './match';

/** The reason a bank gives in a decision's `reasons`, beside the policy's category reasons. */
export interface BankReason {
  kind: 'bank';
  bank: string;
  bank_title: string;
  entry: string;
  /** What the bank matches on: sha256, pdq or embedding. */
  match: BankMatch['kind'];
  action: BankMatch['action'];
  threshold: number;
  distance?: number;
  similarity?: number;
  /** PDQ: the rotation or mirror of the image that matched. */
  variant?: string;
  /** What the match made of the verdict. */
  verdict: Decision['verdict'];
  rule: CombineRule;
}

/** What a decision records of the banks: enough for a replay to tell what the banks changed. */
export interface DecisionBanks {
  revision: number;
  checked: DecideBanks['checked'];
  matches: DecideBanks['matches'];
  decided_by: 'policy' | 'bank';
  rule: CombineRule;
  policy_verdict: Decision['verdict'];
  pdq?: DecideBanks['pdq'];
}

/** What applying a bank outcome needs: the worker's, or the one a stored decision recorded (replay). */
export type BanksToApply = Pick<DecideBanks, 'revision' | 'checked' | 'matches'> &
  Partial<Pick<DecideBanks, 'pdq'>>;

export interface BankedDecision {
  /** The policy's decision with the combined verdict (scores and category reasons stay the policy's). */
  decision: Decision;
  /** Undefined when no bank applied to the tenant. */
  banks?: DecisionBanks;
  /** The bank's reason, when a match counted (it decided, or was outranked by a policy block). */
  reason?: BankReason;
}

function reasonOf(match: BankMatch, verdict: Decision['verdict'], rule: CombineRule): BankReason {
  return {
    kind: 'bank',
    bank: match.bankId,
    bank_title: match.bankTitle,
    entry: match.entryId,
    match: match.kind,
    action: match.action,
    threshold: match.threshold,
    ...(match.distance !== undefined && { distance: match.distance }),
    ...(match.similarity !== undefined && { similarity: match.similarity }),
    ...(match.variant !== undefined && { variant: match.variant }),
    verdict,
    rule,
  };
}

/**
 * The worker's bank outcome against the policy's decision (precedence in combineWithPolicy): pure, so a
 * replay of the stored outcome gives the same verdict.
 */
export function applyBanks(policy: Decision, banks: BanksToApply | undefined): BankedDecision {
  if (!banks) return { decision: policy };
  const outcome: BankOutcome = {
    matches: banks.matches as BankMatch[],
    winner: banks.matches[0] as BankMatch | undefined,
    checked: banks.checked as BankOutcome['checked'],
  };
  const combined = combineWithPolicy(policy.verdict, outcome);
  return {
    decision: { ...policy, verdict: combined.verdict },
    banks: {
      revision: banks.revision,
      checked: banks.checked,
      matches: banks.matches,
      decided_by: combined.decidedBy,
      rule: combined.rule,
      policy_verdict: policy.verdict,
      ...(banks.pdq && { pdq: banks.pdq }),
    },
    reason: combined.bankMatch && reasonOf(combined.bankMatch, combined.verdict, combined.rule),
  };
}
