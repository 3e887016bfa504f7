import type { z } from 'zod';
import { describeIssues } from '@clipguard/contracts';

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

/** `schema`'s parse of `input`, or a FairnessError that names every offending field ("(root)" for the whole). */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  code: FairnessErrorCode,
  what: string,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new FairnessError(code, `${what}: ${describeIssues(parsed.error, '(root)')}`);
}
