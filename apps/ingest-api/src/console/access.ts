import { can, tenantsWith, type Capability } from '@clipguard/auth';
import { ApiError, type Membership, type QueueKind } from '@clipguard/contracts';
import { queueCapability } from '@clipguard/auth';
import type { ConsoleUser } from './console-request';

/** The tenants in which the user may do this; none at all is a 403 (in some, the caller filters to them). */
export function tenantsFor(user: ConsoleUser, capability: Capability): string[] {
  const tenants = tenantsWith(user.memberships, capability);
  if (tenants.length === 0) throw new ApiError('ROLE_FORBIDDEN', 'your role does not allow this');
  return tenants;
}

export const queueTenants = (user: ConsoleUser, queue: QueueKind) => tenantsFor(user, queueCapability(queue));

/** The user's role in one tenant allows this. */
export function roleIn(memberships: readonly Membership[], tenant: string, capability: Capability): boolean {
  const m = memberships.find((x) => x.tenant === tenant);
  return m !== undefined && can(m.role, capability);
}
