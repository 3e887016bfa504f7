import type { FairnessFigures } from '../figures';

/** Bumped when the shape of the JSON changes, so stored reports and API clients can tell. */
export const FAIRNESS_JSON_VERSION = 1;

export interface ReportMeta {
  title?: string;
  tenant?: string;
  window?: { since: Date; until: Date };
  generatedAt: Date;
}

/** The figures as JSON; numbers without a value (NaN: no observations; ∞: an open interval) become null. */
export function fairnessJson(f: FairnessFigures, meta: ReportMeta): string {
  const body = { v: FAIRNESS_JSON_VERSION, meta, ...f };
  // JSON.stringify itself writes NaN and ±∞ as null.
  return JSON.stringify(body, null, 2);
}
