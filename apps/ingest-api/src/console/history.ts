import type { ItemView } from '@clipguard/contracts';

interface AuditRow {
  kind: string;
  body: Record<string, unknown>;
  created_at: Date;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const actorName = (b: Record<string, unknown>) => {
  const a = b.actor as { name?: unknown } | undefined;
  return typeof a?.name === 'string' ? a.name : null;
};

/** `shapes v1 (cd211388)`: the policy as a person reads it, the hash shortened as git does. */
const policyName = (p: unknown) => {
  const { id, version, hash } = (p ?? {}) as { id?: unknown; version?: unknown; hash?: unknown };
  if (typeof id !== 'string') return 'the policy';
  const v = typeof version === 'number' ? ` v${version}` : '';
  return `policy ${id}${v}${typeof hash === 'string' ? ` (${hash.slice(0, 8)})` : ''}`;
};

/** One line per audit entry about a submission, for the item's history. */
export function historyLine(e: AuditRow): ItemView['history'][number] {
  const b = e.body;
  const summaries: Record<string, () => string> = {
    decision: () => `decided ${str(b.verdict)} by ${policyName(b.policy)}`,
    shadow_decision: () => `shadow ${policyName(b.policy)} would decide ${str(b.verdict)}`,
    claim: () => `claimed from the ${str(b.queue)} queue`,
    release: () => 'released back to the queue',
    assign: () => 'assigned to another moderator',
    review: () =>
      `resolved ${str(b.verdict)}${Array.isArray(b.labels) && b.labels.length ? ` (${b.labels.join(', ')})` : ''}`,
    escalate: () => `escalated: ${str(b.reason)}`,
    appeal: () => `appealed: ${str(b.statement)}`,
    appeal_decision: () => `appeal ${str(b.decision) === 'overturn' ? 'overturned' : 'upheld'}`,
  };
  return {
    at: new Date(e.created_at).toISOString(),
    kind: e.kind,
    actor: actorName(b),
    summary: (summaries[e.kind] ?? (() => e.kind))(),
  };
}
