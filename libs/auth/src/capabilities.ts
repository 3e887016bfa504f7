import type { Membership, QueueKind, Role } from '@clipguard/contracts';

/** What a role may do in a tenant (docs/console-api.md, "Roles"). */
export type Capability =
  | 'work_review'
  | 'work_lead_queues'
  | 'manage_queue'
  | 'read_audit'
  | 'manage_users'
  /** Add a resolved item to a bank ("block and add to bank"). */
  | 'manage_banks';

const GRANTS: Record<Role, readonly Capability[]> = {
  moderator: ['work_review'],
  lead: ['work_review', 'work_lead_queues', 'manage_queue', 'read_audit', 'manage_banks'],
  auditor: ['read_audit'],
  admin: ['work_review', 'work_lead_queues', 'manage_queue', 'read_audit', 'manage_users', 'manage_banks'],
};

export function can(role: Role, capability: Capability): boolean {
  return GRANTS[role].includes(capability);
}

/** The capability working a queue needs. */
export const queueCapability = (queue: QueueKind): Capability =>
  queue === 'review' ? 'work_review' : 'work_lead_queues';

/** The tenants in which the user holds a capability. */
export function tenantsWith(memberships: readonly Membership[], capability: Capability): string[] {
  return memberships.filter((m) => can(m.role, capability)).map((m) => m.tenant);
}

/** The queues a user may work in a tenant. */
export function workableQueues(role: Role): QueueKind[] {
  if (can(role, 'work_lead_queues')) return ['review', 'qa', 'escalated', 'appeal'];
  return can(role, 'work_review') ? ['review'] : [];
}
