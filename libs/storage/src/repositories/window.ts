import { sql } from 'kysely';

/** Which decisions a fairness, drift, calibration or replay read covers. */
export interface DecisionWindow {
  policy: { id: string; version: number };
  /** Inclusive start and exclusive end of the decision times; open when absent. */
  since?: Date;
  until?: Date;
  tenant?: string;
}

/**
 * Where the previous page ended. The time is PostgreSQL's own text of the timestamp: a JS Date keeps
 * milliseconds only, and a truncated cursor would repeat the rows of its last millisecond.
 */
export interface PageKey {
  at: string;
  id: string;
}

export const DEFAULT_PAGE = 1000;

/** Rows strictly after the key in (created_at, id) order, for the decisions aliased `d`. */
export const afterKey = (k: PageKey) =>
  sql<boolean>`(d.created_at, d.id) > (${k.at}::timestamptz, ${k.id}::uuid)`;
