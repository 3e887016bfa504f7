import { applyBanks, type BanksToApply } from '@clipguard/banks';
import { decide, type Decision, type PolicyRef, type Verdict } from '@clipguard/decision';
import { promptSimilarities, scoreFrames, type CompiledPolicy } from '@clipguard/policy';
import { auditedFromDecision, type AuditedDecision, type HumanLabel } from '../input';
import { framesFromVectors } from './embeddings';

/** One stored submission to re-decide: its image embedding and what was decided and labelled before. */
export interface StoredSubmission {
  submissionId: string;
  decidedAt: Date;
  /** float32 little-endian, frames × dim (the `embeddings` table's `vectors`). */
  vectors: Uint8Array;
  frames: number;
  /** The stored verdict of the version it is compared with. */
  previousVerdict: Verdict;
  label?: HumanLabel;
  /**
   * The bank outcome recorded with the stored decision. A replay applies it again, so a new version is
   * compared with the banks as they were (what the policy changes, not what a bank decided).
   */
  banks?: BanksToApply;
}

export interface ReplayPolicy {
  compiled: CompiledPolicy;
  /** The model's logit scale, as the worker scores with it. */
  logitScale: number;
}

export type TransitionTable = Record<Verdict, Record<Verdict, number>>;

export interface ReplayTally {
  decisions: number;
  /** Rows: the stored verdict; columns: the replayed one. */
  transitions: TransitionTable;
  changed: number;
  labelled: number;
  /** Labelled decisions the replayed version gets right and the stored one got wrong, and the reverse. */
  fixed: number;
  broken: number;
  agreedBefore: number;
  agreedAfter: number;
}

export interface ReplayResult extends ReplayTally {
  policy: PolicyRef;
  /** The replayed decisions, ready for the fairness figures. */
  replayed: AuditedDecision[];
}

/** The same steps as the decision service: similarities → category scores → decision → recorded banks. */
export function replayOne(s: StoredSubmission, target: ReplayPolicy): Decision {
  const dim = target.compiled.embeddings[0]?.length ?? 0;
  const frames = framesFromVectors(s.vectors, s.frames, dim);
  const sims = promptSimilarities(target.compiled, frames);
  const policy = decide(
    target.compiled,
    scoreFrames(target.compiled.policy, target.compiled.prompts, sims, target.logitScale),
  );
  return applyBanks(policy, s.banks).decision;
}

/** A human allow agrees with an allow; a human block agrees with review or block (a human sees it). */
export const agreesWith = (verdict: Verdict, label: HumanLabel) =>
  label.verdict === 'allow' ? verdict === 'allow' : verdict !== 'allow';

export function emptyTally(): ReplayTally {
  const row = () => ({ allow: 0, review: 0, block: 0 });
  return {
    decisions: 0,
    transitions: { allow: row(), review: row(), block: row() },
    changed: 0,
    labelled: 0,
    fixed: 0,
    broken: 0,
    agreedBefore: 0,
    agreedAfter: 0,
  };
}

/** Adds one re-decided submission to the tally (the caller may stream and keep only the tally). */
export function tallyReplay(t: ReplayTally, before: Verdict, after: Verdict, label?: HumanLabel): void {
  t.decisions++;
  t.transitions[before][after]++;
  if (before !== after) t.changed++;
  if (!label) return;
  t.labelled++;
  const was = agreesWith(before, label);
  const is = agreesWith(after, label);
  if (was) t.agreedBefore++;
  if (is) t.agreedAfter++;
  if (!was && is) t.fixed++;
  if (was && !is) t.broken++;
}

/** Re-decides stored submissions with another policy version from their stored embeddings. */
export function replay(stored: Iterable<StoredSubmission>, target: ReplayPolicy): ReplayResult {
  const tally = emptyTally();
  const replayed: AuditedDecision[] = [];
  for (const s of stored) {
    const d = replayOne(s, target);
    tallyReplay(tally, s.previousVerdict, d.verdict, s.label);
    replayed.push(auditedFromDecision(s.submissionId, s.decidedAt, d, s.label));
  }
  const { id, version } = target.compiled.policy;
  return { ...tally, policy: { id, version, hash: target.compiled.hash }, replayed };
}
