import {
  auditedFromDecision,
  emptyTally,
  replayOne,
  tallyReplay,
  type AuditedDecision,
  type HumanLabel,
  type ReplayPolicy,
  type ReplayTally,
  type Verdict,
} from '@clipguard/audit';
import type { PolicyRef } from '@clipguard/decision';
import type { ReplayRepository, ReplayWindow } from '../repositories/replay.repository';
import { FairnessWindowTooLargeError } from './collect';

export interface VerdictChange {
  submissionId: string;
  from: Verdict;
  to: Verdict;
  label?: HumanLabel;
}

export interface ReplayRun extends ReplayTally {
  policy: PolicyRef;
  /** The replayed decisions, for the fairness figures. */
  replayed: AuditedDecision[];
  changes: VerdictChange[];
  /** Wall time of reading and re-deciding, for the rate. */
  seconds: number;
}

/**
 * Re-decides the window's stored submissions with another policy version, streaming them from the
 * repository a page at a time; keeps the tally, the changed verdicts and the compact replayed decisions.
 */
export async function replayStored(
  repo: ReplayRepository,
  w: ReplayWindow,
  target: ReplayPolicy,
  maxDecisions: number,
): Promise<ReplayRun> {
  const started = performance.now();
  const tally = emptyTally();
  const replayed: AuditedDecision[] = [];
  const changes: VerdictChange[] = [];
  for await (const page of repo.submissions(w)) {
    if (replayed.length + page.length > maxDecisions) throw new FairnessWindowTooLargeError(maxDecisions);
    for (const s of page) {
      const d = replayOne(s, target);
      tallyReplay(tally, s.previousVerdict, d.verdict, s.label);
      replayed.push(auditedFromDecision(s.submissionId, s.decidedAt, d, s.label));
      if (d.verdict !== s.previousVerdict)
        changes.push({
          submissionId: s.submissionId,
          from: s.previousVerdict,
          to: d.verdict,
          ...(s.label ? { label: s.label } : {}),
        });
    }
  }
  const { id, version } = target.compiled.policy;
  return {
    ...tally,
    policy: { id, version, hash: target.compiled.hash },
    replayed,
    changes,
    seconds: (performance.now() - started) / 1000,
  };
}
