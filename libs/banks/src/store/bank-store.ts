import type { Bank } from '../matching/bank';
import type { BankEntry } from '../matching/entry';

/** One change to the banks, numbered by the store in the order it was committed. */
export type BankChange =
  | { revision: number; type: 'bank-saved'; bank: Bank }
  | { revision: number; type: 'bank-deleted'; bankId: string }
  | { revision: number; type: 'entry-added'; entry: BankEntry }
  | { revision: number; type: 'entry-removed'; bankId: string; entryId: string };

/**
 * Where banks and their entries live: a Postgres repository implements this with a table of banks, a
 * table of entries (one row each) and a change log with a sequence as `revision`. Processes rebuild
 * their in-memory indexes from `entries` at start and then follow `changesSince`.
 */
export interface BankStore {
  listBanks(): Promise<Bank[]>;
  /** Every entry of a bank, in pages, for rebuilding its index. */
  entries(bankId: string): AsyncIterable<BankEntry>;
  /** The revision of the latest change; an index loaded after reading it is at least that fresh. */
  currentRevision(): Promise<number>;
  changesSince(revision: number, limit?: number): Promise<BankChange[]>;
  saveBank(bank: Bank): Promise<BankChange>;
  deleteBank(bankId: string): Promise<BankChange | undefined>;
  addEntry(entry: BankEntry): Promise<BankChange>;
  removeEntry(bankId: string, entryId: string): Promise<BankChange | undefined>;
}
