import { sql, type Kysely, type Selectable } from 'kysely';
import type { CallbackDeliveriesTable, Database } from '../db/schema';

export type CallbackDelivery = Selectable<CallbackDeliveriesTable>;
export type DeliveryStatus = 'pending' | 'delivered' | 'dead';
export type SendClaim =
  { outcome: 'claimed'; delivery: CallbackDelivery } | { outcome: 'sent' } | { outcome: 'busy'; until: Date };

/** Callback deliveries: one per decision, with a stable id the platform can dedupe on. */
export class CallbackRepository {
  constructor(private readonly db: Kysely<Database>) {}

  find(id: string): Promise<CallbackDelivery | undefined> {
    return this.db.selectFrom('callback_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The delivery of the automatic decision, and those of human outcomes (reviews, appeals). */
  forSubmission(submissionId: string) {
    return this.db
      .selectFrom('callback_deliveries')
      .select(['id', 'kind', 'ref', 'status', 'attempts', 'last_status', 'last_error'])
      .where('submission_id', '=', submissionId)
      .orderBy('created_at')
      .execute();
  }

  /**
   * Claims the right to send a pending delivery for `leaseMs`: `sent` when it is no longer pending,
   * `busy` (with when the other sender's claim ends) while another job holds it, else the delivery.
   */
  async claimSend(id: string, leaseMs: number): Promise<SendClaim> {
    const claimed = await this.db
      .updateTable('callback_deliveries')
      .set({ sending_until: sql<Date>`now() + ${`${leaseMs} milliseconds`}::interval` })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('sending_until', 'is', null), eb('sending_until', '<=', sql<Date>`now()`)]))
      .returningAll()
      .executeTakeFirst();
    if (claimed) return { outcome: 'claimed', delivery: claimed };
    const d = await this.find(id);
    if (!d || d.status !== 'pending') return { outcome: 'sent' };
    return { outcome: 'busy', until: d.sending_until ?? new Date() };
  }

  /** Records one attempt; only a pending delivery changes (a delivered one stays delivered). */
  async recordAttempt(
    id: string,
    next: DeliveryStatus,
    outcome: { status: number | null; error: string | null },
  ): Promise<void> {
    await this.db
      .updateTable('callback_deliveries')
      .set((eb) => ({
        status: next,
        attempts: eb('attempts', '+', 1),
        last_status: outcome.status,
        last_error: outcome.error?.slice(0, 1000) ?? null,
        sending_until: null,
        updated_at: new Date(),
      }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  }

  /** Pending deliveries untouched for `graceMs`: the reconciler checks their jobs still exist. */
  listPending(graceMs: number, limit: number) {
    return this.db
      .selectFrom('callback_deliveries')
      .select(['id', 'submission_id', 'tenant'])
      .where('status', '=', 'pending')
      .where('updated_at', '<', sql<Date>`now() - ${`${graceMs} milliseconds`}::interval`)
      .orderBy('updated_at')
      .limit(limit)
      .execute();
  }

  /** Marks a pending delivery as looked at, so the next reconcile pass waits a grace period again. */
  async touch(id: string): Promise<void> {
    await this.db
      .updateTable('callback_deliveries')
      .set({ updated_at: new Date() })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  }

  async countByStatus(): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('callback_deliveries')
      .select(['status', this.db.fn.countAll<string>().as('n')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
