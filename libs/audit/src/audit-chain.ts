import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** What the audit log records: decisions, the human loop's every action, and the system's own checks. */
export const AUDIT_KINDS = [
  'decision',
  'shadow_decision',
  'policy_activation',
  'review',
  'claim',
  'release',
  'assign',
  'escalate',
  'appeal',
  'appeal_decision',
  'login',
  'logout',
  'user_change',
  // The scheduled fairness figures, a drift past its level, a version's baseline on the evaluation set.
  'fairness',
  'drift',
  'fairness_baseline',
  // A match bank created, changed or deleted; an entry added to or removed from one.
  'bank',
  'bank_entry',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export interface AuditEntry {
  kind: AuditKind;
  ref: string;
  body: Record<string, unknown>;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** sha256 over the predecessor's hash and the entry's canonical JSON: any edit breaks every later link. */
export function chainHash(prevHash: string, entry: AuditEntry): string {
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(JSON.stringify(canonical({ kind: entry.kind, ref: entry.ref, body: entry.body })))
    .digest('hex');
}

export interface StoredAuditEntry extends AuditEntry {
  seq: string;
  prevHash: string;
  hash: string;
}

export interface ChainCheck {
  ok: boolean;
  entries: number;
  /** First entry that does not verify, and why. */
  broken?: { seq: string; reason: string };
}

/** Verifies a chain given in sequence order (pure: the caller streams it from storage). */
export function verifyChain(entries: Iterable<StoredAuditEntry>, start = GENESIS_HASH): ChainCheck {
  let prev = start;
  let count = 0;
  for (const e of entries) {
    count++;
    if (e.prevHash !== prev)
      return { ok: false, entries: count, broken: { seq: e.seq, reason: 'predecessor hash does not match' } };
    if (chainHash(prev, e) !== e.hash)
      return { ok: false, entries: count, broken: { seq: e.seq, reason: 'content does not match its hash' } };
    prev = e.hash;
  }
  return { ok: true, entries: count };
}
