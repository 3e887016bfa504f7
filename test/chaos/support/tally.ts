import type { Kysely } from 'kysely';
import type { Database } from '@clipguard/storage';
import { acceptedId, type SentEvent } from './sender';

/** What a fault did to the work, counted from Postgres (the record) and from what the platform received. */
export interface Tally {
  /** Distinct events the platform sent. */
  events: number;
  /** Events the API acknowledged with 202. */
  accepted: number;
  /** Events never acknowledged, whatever the retries (lost at the door). */
  unaccepted: number;
  /** 202s whose submission is not in Postgres (an acknowledgement of something not committed). */
  notCommitted: number;
  /** Events acknowledged with two different submission ids. */
  split: number;
  /** Accepted submissions decided with exactly one live decision and one decision audit entry. */
  decidedOnce: number;
  /** Accepted submissions with more than one live decision or decision audit entry. */
  duplicates: number;
  /** Accepted submissions that ended `failed` (visibly). */
  failed: number;
  /** Accepted submissions neither decided nor failed. */
  stranded: number;
  /** Decided submissions whose callback delivery the platform received exactly once (by webhook-id). */
  callbacksOnce: number;
  /** Decided submissions whose callback never arrived. */
  callbacksMissing: number;
  /** Decided submissions whose callback arrived more than once (same webhook-id). */
  callbacksDuplicate: number;
  /** Deliveries the decision service dead-lettered. */
  callbacksDead: number;
}

const countBy = <T>(rows: T[], key: (row: T) => string) => {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
  return counts;
};

export async function tally(
  db: Kysely<Database>,
  events: SentEvent[],
  received: Map<string, number>,
): Promise<Tally> {
  const ids = [...new Set(events.map(acceptedId).filter((id): id is string => id !== undefined))];
  const empty = ids.length === 0;
  const [subs, decisions, audits, deliveries] = empty
    ? [[], [], [], []]
    : await Promise.all([
        db
          .selectFrom('submissions')
          .select(['id', 'tenant', 'event_id', 'status'])
          .where('id', 'in', ids)
          .execute(),
        db
          .selectFrom('decisions')
          .select('submission_id')
          .where('submission_id', 'in', ids)
          .where('shadow', '=', false)
          .execute(),
        db
          .selectFrom('audit_log')
          .select('ref')
          .where('kind', '=', 'decision')
          .where('ref', 'in', ids)
          .execute(),
        db
          .selectFrom('callback_deliveries')
          .select(['id', 'submission_id', 'status'])
          .where('submission_id', 'in', ids)
          .execute(),
      ]);
  const byId = new Map(subs.map((s) => [s.id, s]));
  const liveCount = countBy(decisions, (d) => d.submission_id);
  const auditCount = countBy(audits, (a) => a.ref);
  const t: Tally = {
    events: events.length,
    accepted: 0,
    unaccepted: 0,
    notCommitted: 0,
    split: 0,
    decidedOnce: 0,
    duplicates: 0,
    failed: 0,
    stranded: 0,
    callbacksOnce: 0,
    callbacksMissing: 0,
    callbacksDuplicate: 0,
    callbacksDead: deliveries.filter((d) => d.status === 'dead').length,
  };
  for (const e of events) {
    const id = acceptedId(e);
    if (!id) {
      t.unaccepted++;
      continue;
    }
    t.accepted++;
    const acked = new Set(e.attempts.map((a) => a.submissionId).filter(Boolean));
    if (acked.size > 1) t.split++;
    const s = byId.get(id);
    if (!s || s.tenant !== e.tenant || s.event_id !== e.eventId) t.notCommitted++;
  }
  for (const id of ids) {
    const status = byId.get(id)?.status;
    const live = liveCount.get(id) ?? 0;
    const audited = auditCount.get(id) ?? 0;
    if (live > 1 || audited > 1) t.duplicates++;
    else if (status === 'decided' && live === 1 && audited === 1) t.decidedOnce++;
    if (status === 'failed') t.failed++;
    else if (status !== 'decided') t.stranded++;
  }
  for (const d of deliveries) {
    if (byId.get(d.submission_id)?.status !== 'decided') continue;
    const n = received.get(d.id) ?? 0;
    if (n === 1) t.callbacksOnce++;
    else if (n === 0) t.callbacksMissing++;
    else t.callbacksDuplicate++;
  }
  return t;
}
