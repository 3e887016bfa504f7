import { computeFairness, subjectOf, type AuditedDecision, type FairnessFigures } from '@clipguard/audit';
import type { Policy } from '@clipguard/policy';
import type { FairnessRepository } from '../repositories/fairness.repository';
import type { DecisionWindow } from '../repositories/window';
import { collectPages } from './collect';

export interface FairnessSettings {
  minGroupSize: number;
  maxDecisions: number;
}

export interface FairnessRead {
  /** The window's audited decisions (for drift, which reads the same window). */
  decisions: AuditedDecision[];
  figures: FairnessFigures;
}

/** One policy version's fairness figures over a window, read a page at a time. */
export async function fairnessOf(
  repo: FairnessRepository,
  policy: Policy,
  w: Omit<DecisionWindow, 'policy'>,
  s: FairnessSettings,
): Promise<FairnessRead> {
  const decisions = await collectPages(
    repo.decisions({ ...w, policy: { id: policy.id, version: policy.version } }),
    s.maxDecisions,
  );
  return {
    decisions,
    figures: computeFairness(decisions, subjectOf(policy), { minGroupSize: s.minGroupSize }),
  };
}
