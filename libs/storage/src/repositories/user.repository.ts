import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Membership } from '@clipguard/contracts';
import type { Database, UsersTable } from '../db/schema';
import { appendAudit } from './audit.repository';

export type UserRow = Selectable<UsersTable>;
export interface UserWithMemberships extends Omit<UserRow, 'password_hash'> {
  memberships: Membership[];
}

/** Who did it, for the audit log: a console user, or the CLI's operator. */
export interface Actor {
  userId: string | null;
  name: string;
}

export interface NewUser {
  email: string;
  displayName: string;
  passwordHash: string;
  memberships: Membership[];
}

export interface UserChange {
  disabled?: boolean;
  passwordHash?: string;
  memberships?: Membership[];
}

/** Console users and their per-tenant roles; every change is audited with its actor. */
export class UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  findByEmail(email: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst();
  }

  find(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async memberships(userId: string): Promise<Membership[]> {
    return this.db
      .selectFrom('memberships')
      .select(['tenant', 'role'])
      .where('user_id', '=', userId)
      .orderBy('tenant')
      .execute();
  }

  /** Users with a membership in any of `tenants` (every user when `tenants` is undefined). */
  async list(tenants?: readonly string[]): Promise<UserWithMemberships[]> {
    if (tenants?.length === 0) return [];
    let q = this.db
      .selectFrom('users as u')
      .select([
        'u.id',
        'u.email',
        'u.display_name',
        'u.disabled',
        'u.preferences',
        'u.created_at',
        'u.updated_at',
      ])
      .orderBy('u.email');
    if (tenants)
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('memberships as m')
            .select('m.user_id')
            .whereRef('m.user_id', '=', 'u.id')
            .where('m.tenant', 'in', tenants),
        ),
      );
    const users = await q.execute();
    if (users.length === 0) return [];
    const all = await this.db
      .selectFrom('memberships')
      .select(['user_id', 'tenant', 'role'])
      .where(
        'user_id',
        'in',
        users.map((u) => u.id),
      )
      .orderBy('tenant')
      .execute();
    return users.map((u) => ({
      ...u,
      memberships: all.filter((m) => m.user_id === u.id).map(({ tenant, role }) => ({ tenant, role })),
    }));
  }

  create(u: NewUser, actor: Actor): Promise<string> {
    return this.db.transaction().execute(async (trx) => {
      const { id } = await trx
        .insertInto('users')
        .values({
          email: u.email.toLowerCase(),
          display_name: u.displayName,
          password_hash: u.passwordHash,
          preferences: '{}',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await setMemberships(trx, id, u.memberships);
      await appendAudit(trx, {
        kind: 'user_change',
        ref: `user:${id}`,
        body: { actor, action: 'create', email: u.email.toLowerCase(), memberships: u.memberships },
      });
      return id;
    });
  }

  /** Applies a change; false if there is no such user. Disabling or a new password ends the user's sessions. */
  update(id: string, change: UserChange, actor: Actor): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('users')
        .set({
          updated_at: new Date(),
          ...(change.disabled !== undefined && { disabled: change.disabled }),
          ...(change.passwordHash !== undefined && { password_hash: change.passwordHash }),
        })
        .where('id', '=', id)
        .executeTakeFirst();
      if (res.numUpdatedRows === 0n) return false;
      if (change.memberships) await setMemberships(trx, id, change.memberships);
      if (change.disabled || change.passwordHash)
        await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
      await appendAudit(trx, {
        kind: 'user_change',
        ref: `user:${id}`,
        body: {
          actor,
          action: 'update',
          ...(change.disabled !== undefined && { disabled: change.disabled }),
          ...(change.passwordHash !== undefined && { password: 'reset' }),
          ...(change.memberships && { memberships: change.memberships }),
        },
      });
      return true;
    });
  }

  async setPreferences(id: string, preferences: Record<string, unknown>): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ preferences: JSON.stringify(preferences), updated_at: new Date() })
      .where('id', '=', id)
      .execute();
  }
}

async function setMemberships(
  trx: Transaction<Database>,
  userId: string,
  memberships: Membership[],
): Promise<void> {
  await trx.deleteFrom('memberships').where('user_id', '=', userId).execute();
  if (memberships.length)
    await trx
      .insertInto('memberships')
      .values(memberships.map((m) => ({ user_id: userId, tenant: m.tenant, role: m.role })))
      .execute();
}
