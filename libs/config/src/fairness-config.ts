import { z } from 'zod';
import { int } from './env';

/** Settings of the fairness audit: the scheduled job, its window and group size, drift, report limits. */
export const fairnessEnvShape = {
  /** How often the decision service computes fairness and drift figures per tenant (0: never). */
  CLIPGUARD_FAIRNESS_INTERVAL_MS: z.coerce
    .number()
    .int()
    .refine((ms) => ms === 0 || ms >= 1000, '0 (off) or at least 1000 ms')
    .default(3_600_000),
  /** The rolling window the scheduled figures cover, ending at each run's slot. */
  CLIPGUARD_FAIRNESS_WINDOW_HOURS: int(168, 1),
  /** Groups with fewer decisions (or labels, for error rates) are "too few" and never alert. */
  CLIPGUARD_FAIRNESS_MIN_GROUP_SIZE: int(30, 1),
  /** Most decisions one report, drift chart or scheduled run reads; a larger window is refused. */
  CLIPGUARD_FAIRNESS_MAX_DECISIONS: int(200_000, 1),
  /** PSI at or above which a category's scores (or the verdict mix) have drifted. */
  CLIPGUARD_DRIFT_PSI_LEVEL: z.coerce.number().gt(0).default(0.25),
  /** Drift is measured against this many days after a version's first decision for a tenant. */
  CLIPGUARD_DRIFT_BASELINE_DAYS: int(7, 1),
  /** Equal-width score bins of the drift histograms. */
  CLIPGUARD_DRIFT_BINS: int(10, 2),
};
