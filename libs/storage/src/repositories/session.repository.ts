import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface NewSession {
  tokenHash: string;
  userId: string;
  csrfToken: string;
  ip: string | null;
  userAgent: string | null;
  expiresAt: Date;
}

/** Server-side console sessions, keyed by the hash of the cookie's token. */
export class SessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(s: NewSession): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        token_hash: s.tokenHash,
        user_id: s.userId,
        csrf_token: s.csrfToken,
        ip: s.ip,
        user_agent: s.userAgent?.slice(0, 500) ?? null,
        expires_at: s.expiresAt,
      })
      .execute();
  }

  /**
   * The session if it is live — before its absolute expiry, used within the idle period, its user not
   * disabled — with its user; using it counts as activity.
   */
  async touch(tokenHash: string, idleMinutes: number) {
    const row = await this.db
      .updateTable('sessions as s')
      .from('users as u')
      .set({ last_seen_at: new Date() })
      .whereRef('u.id', '=', 's.user_id')
      .where('s.token_hash', '=', tokenHash)
      .where('s.expires_at', '>', sql<Date>`now()`)
      .where('s.last_seen_at', '>', sql<Date>`now() - ${`${idleMinutes} minutes`}::interval`)
      .where('u.disabled', '=', false)
      .returning([
        's.user_id',
        's.csrf_token',
        's.items_viewed',
        's.expires_at',
        'u.email',
        'u.display_name',
        'u.preferences',
      ])
      .executeTakeFirst();
    return row;
  }

  async countView(tokenHash: string): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set((eb) => ({ items_viewed: eb('items_viewed', '+', 1) }))
      .where('token_hash', '=', tokenHash)
      .execute();
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  /** Drops sessions past their absolute expiry or idle too long (housekeeping). */
  async prune(idleMinutes: number): Promise<number> {
    const res = await this.db
      .deleteFrom('sessions')
      .where((eb) =>
        eb.or([
          eb('expires_at', '<=', sql<Date>`now()`),
          eb('last_seen_at', '<=', sql<Date>`now() - ${`${idleMinutes} minutes`}::interval`),
        ]),
      )
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
