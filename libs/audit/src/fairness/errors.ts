export type FairnessErrorCode =
  | 'FAIRNESS_OPTIONS_INVALID'
  | 'DRIFT_OPTIONS_INVALID'
  | 'CALIBRATION_OPTIONS_INVALID'
  | 'EMBEDDING_SHAPE_INVALID'
  | 'DRAFT_POLICY_INVALID'
  | 'BASELINE_INVALID';

/** Bad input to the fairness, drift, calibration or replay computations. */
export class FairnessError extends Error {
  constructor(
    readonly code: FairnessErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FairnessError';
  }
}
