export type PolicyErrorCode =
  'POLICY_INVALID' | 'POLICY_NOT_FOUND' | 'POLICY_IMMUTABLE' | 'POLICY_MODEL_MISMATCH';

export interface PolicyIssue {
  /** Field path by index, e.g. "categories.2.thresholds.block" (stable, for programs). */
  path: string;
  /** The same path as a person reads it: categories named by id, e.g. "categories[red].thresholds.block". */
  field?: string;
  /** 1-based line and column of the offending key or value, and how many characters it spans. */
  line?: number;
  column?: number;
  length?: number;
  message: string;
  /** What to do about it, e.g. "did you mean `thresholds`?". */
  hint?: string;
  /** Context that is not a fix, e.g. how many follow-on parser errors were left out. */
  note?: string;
}

export class PolicyError extends Error {
  constructor(
    readonly code: PolicyErrorCode,
    message: string,
    readonly file?: string,
    readonly issues: PolicyIssue[] = [],
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}
