import { bankSchema, type Bank, type BankInput } from './bank';
import type { BankEntry, EntryValue } from './entry';
import { IndexedBank } from './indexed-bank';

/** One-line factories for the matching specs. */
export function makeBank(overrides: Partial<BankInput> & Pick<BankInput, 'id' | 'kind' | 'action'>): Bank {
  const threshold = overrides.kind === 'pdq' ? 31 : overrides.kind === 'embedding' ? 0.9 : 0;
  return bankSchema.parse({
    title: `bank ${overrides.id}`,
    tenants: ['t1'],
    threshold,
    ...(overrides.kind === 'embedding' ? { modelId: 'model-a' } : {}),
    ...overrides,
  });
}

export function makeEntry(bankId: string, id: string, value: EntryValue): BankEntry {
  return {
    id,
    bankId,
    value,
    source: 'api',
    addedBy: 'lead@example.org',
    addedAt: '2025-01-01T00:00:00Z',
    note: '',
  };
}

export function indexed(bank: Bank, entries: Array<[string, EntryValue]> = []): IndexedBank {
  const ib = new IndexedBank(bank);
  for (const [id, value] of entries) ib.add(makeEntry(bank.id, id, value));
  return ib;
}
