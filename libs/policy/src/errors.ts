export type PolicyErrorCode =
  'POLICY_INVALID' | 'POLICY_NOT_FOUND' | 'POLICY_IMMUTABLE' | 'POLICY_MODEL_MISMATCH';

export interface PolicyIssue {
  /** Field path, e.g. "categories.2.thresholds.block". */
  path: string;
  line?: number;
  message: string;
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
