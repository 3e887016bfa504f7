import { BankError, type BankErrorCode } from '../errors';
import type { Bank } from '../matching/bank';
import type { BankEntry } from '../matching/entry';
import type { BankChange, BankStore } from './bank-store';

const rejected = (code: BankErrorCode, message: string) => Promise.reject(new BankError(code, message));

type ChangeBody = BankChange extends infer C ? (C extends BankChange ? Omit<C, 'revision'> : never) : never;

/** BankStore in memory: for unit tests, `clipguard scan`-style offline use, and as the contract's example. */
export class InMemoryBankStore implements BankStore {
  private readonly banks = new Map<string, Bank>();
  private readonly rows = new Map<string, Map<string, BankEntry>>();
  private readonly log: BankChange[] = [];

  listBanks(): Promise<Bank[]> {
    return Promise.resolve([...this.banks.values()]);
  }

  async *entries(bankId: string): AsyncIterable<BankEntry> {
    await Promise.resolve();
    yield* [...(this.rows.get(bankId)?.values() ?? [])];
  }

  currentRevision(): Promise<number> {
    return Promise.resolve(this.log.length);
  }

  changesSince(revision: number, limit = 1000): Promise<BankChange[]> {
    return Promise.resolve(this.log.slice(revision, revision + limit));
  }

  saveBank(bank: Bank): Promise<BankChange> {
    const existing = this.banks.get(bank.id);
    if (existing && existing.kind !== bank.kind) {
      return rejected(
        'BANK_KIND_MISMATCH',
        `bank ${bank.id} holds ${existing.kind} entries; its kind cannot change`,
      );
    }
    this.banks.set(bank.id, bank);
    if (!this.rows.has(bank.id)) this.rows.set(bank.id, new Map());
    return Promise.resolve(this.record({ type: 'bank-saved', bank }));
  }

  deleteBank(bankId: string): Promise<BankChange | undefined> {
    if (!this.banks.delete(bankId)) return Promise.resolve(undefined);
    this.rows.delete(bankId);
    return Promise.resolve(this.record({ type: 'bank-deleted', bankId }));
  }

  addEntry(entry: BankEntry): Promise<BankChange> {
    const bank = this.banks.get(entry.bankId);
    if (!bank) return rejected('BANK_NOT_FOUND', `no bank ${entry.bankId}`);
    if (entry.value.kind !== bank.kind) {
      return rejected(
        'BANK_KIND_MISMATCH',
        `bank ${bank.id} holds ${bank.kind} entries, not ${entry.value.kind}`,
      );
    }
    this.rows.get(bank.id)!.set(entry.id, entry);
    return Promise.resolve(this.record({ type: 'entry-added', entry }));
  }

  removeEntry(bankId: string, entryId: string): Promise<BankChange | undefined> {
    if (!this.rows.get(bankId)?.delete(entryId)) return Promise.resolve(undefined);
    return Promise.resolve(this.record({ type: 'entry-removed', bankId, entryId }));
  }

  private record(body: ChangeBody): BankChange {
    const change = { ...body, revision: this.log.length + 1 };
    this.log.push(change);
    return change;
  }
}
