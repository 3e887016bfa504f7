import { pdqToHex, type BankEntry } from '@clipguard/banks';
import type { BankEntryView, BankView } from '@clipguard/contracts';
import type { BankSummary } from '@clipguard/storage';

/** A tenant may change a bank that names it; a shared ('*') bank is the operator's, read-only here. */
export const writableBy = (bank: { tenants: readonly string[] }, tenant: string) =>
  bank.tenants.includes(tenant);

export function bankView(b: BankSummary, tenant: string): BankView {
  return {
    id: b.id,
    title: b.title,
    description: b.description,
    tenants: b.tenants,
    kind: b.kind,
    action: b.action,
    threshold: b.threshold,
    enabled: b.enabled,
    model_id: b.modelId ?? null,
    match_dihedral: b.matchDihedral,
    entries: b.entries,
    writable: writableBy(b, tenant),
    created_at: b.createdAt.toISOString(),
    updated_at: b.updatedAt.toISOString(),
  };
}

export function entryView(e: BankEntry): BankEntryView {
  const v = e.value;
  return {
    id: e.id,
    bank_id: e.bankId,
    kind: v.kind,
    ...(v.kind === 'sha256' && { sha256: v.sha256 }),
    ...(v.kind === 'pdq' && { pdq: { hash: pdqToHex(v.hash), quality: v.quality ?? null } }),
    ...(v.kind === 'embedding' && { embedding: { model_id: v.modelId, dimensions: v.vector.length } }),
    source: e.source,
    added_by: e.addedBy,
    added_at: e.addedAt,
    note: e.note,
  };
}
