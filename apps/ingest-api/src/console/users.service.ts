import { Injectable } from '@nestjs/common';
import { hashPassword } from '@clipguard/auth';
import { ApiError, type Membership } from '@clipguard/contracts';
import { UserRepository } from '@clipguard/storage';
import { tenantsFor } from './access';
import type { ConsoleUser } from './console-request';

/** Admins manage the users of the tenants they administer; every change is audited with the admin. */
@Injectable()
export class UsersService {
  constructor(private readonly users: UserRepository) {}

  list(admin: ConsoleUser) {
    return this.users.list(tenantsFor(admin, 'manage_users'));
  }

  async create(
    admin: ConsoleUser,
    u: { email: string; display_name: string; password: string; memberships: Membership[] },
  ) {
    this.checkTenants(admin, u.memberships);
    if (await this.users.findByEmail(u.email))
      throw new ApiError('USER_EXISTS', `a user ${u.email} exists already`);
    const id = await this.users.create(
      {
        email: u.email,
        displayName: u.display_name,
        passwordHash: await hashPassword(u.password),
        memberships: u.memberships,
      },
      { userId: admin.id, name: admin.displayName },
    );
    return this.one(admin, id);
  }

  async update(
    admin: ConsoleUser,
    id: string,
    change: { disabled?: boolean; memberships?: Membership[]; password?: string },
  ) {
    const current = await this.one(admin, id);
    // An admin changes only memberships in tenants they administer; the user's others stay as they are.
    let memberships: Membership[] | undefined;
    if (change.memberships) {
      this.checkTenants(admin, change.memberships);
      const managed = tenantsFor(admin, 'manage_users');
      memberships = [
        ...current.memberships.filter((m) => !managed.includes(m.tenant)),
        ...change.memberships,
      ];
    }
    await this.users.update(
      id,
      {
        disabled: change.disabled,
        memberships,
        passwordHash: change.password ? await hashPassword(change.password) : undefined,
      },
      { userId: admin.id, name: admin.displayName },
    );
    return this.one(admin, id);
  }

  /** The user if they belong to one of the admin's tenants. */
  private async one(admin: ConsoleUser, id: string) {
    const found = (await this.list(admin)).find((u) => u.id === id);
    if (!found) throw new ApiError('USER_NOT_FOUND', `no user ${id} in your tenants`);
    return found;
  }

  private checkTenants(admin: ConsoleUser, memberships: Membership[]): void {
    const managed = tenantsFor(admin, 'manage_users');
    const outside = memberships.find((m) => !managed.includes(m.tenant));
    if (outside) throw new ApiError('ROLE_FORBIDDEN', `you do not administer tenant ${outside.tenant}`);
  }
}
