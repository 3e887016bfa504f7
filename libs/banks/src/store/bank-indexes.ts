import { BankError } from '../errors';
import type { EmbeddingIndexOptions } from '../indexes/embedding-index';
import { IndexedBank } from '../matching/indexed-bank';
import type { BankChange, BankStore } from './bank-store';

/**
 * Every bank's in-memory index in one process: loaded from the store at start, then kept current by
 * applying the store's changes in revision order (after a local write, or by polling changesSince).
 */
export class BankIndexes {
  private readonly byId = new Map<string, IndexedBank>();
  private revision = 0;

  constructor(private readonly embeddingOptions?: EmbeddingIndexOptions) {}

  /** The store revision the indexes reflect. */
  get appliedRevision(): number {
    return this.revision;
  }

  banks(): IndexedBank[] {
    return [...this.byId.values()];
  }

  get(bankId: string): IndexedBank | undefined {
    return this.byId.get(bankId);
  }

  static async load(store: BankStore, embeddingOptions?: EmbeddingIndexOptions): Promise<BankIndexes> {
    const indexes = new BankIndexes(embeddingOptions);
    indexes.revision = await store.currentRevision();
    for (const bank of await store.listBanks()) {
      const ib = new IndexedBank(bank, embeddingOptions);
      for await (const entry of store.entries(bank.id)) ib.add(entry);
      indexes.byId.set(bank.id, ib);
    }
    // Changes committed while the entries were read are applied again; adding and removing are idempotent.
    await indexes.catchUp(store);
    return indexes;
  }

  async catchUp(store: BankStore): Promise<number> {
    let applied = 0;
    for (;;) {
      const changes = await store.changesSince(this.revision);
      if (changes.length === 0) return applied;
      for (const change of changes) this.apply(change);
      applied += changes.length;
    }
  }

  /** Applies one change; changes at or below the applied revision are ignored. */
  apply(change: BankChange): void {
    if (change.revision <= this.revision) return;
    this.revision = change.revision;
    switch (change.type) {
      case 'bank-saved': {
        const existing = this.byId.get(change.bank.id);
        if (existing) existing.bank = change.bank;
        else this.byId.set(change.bank.id, new IndexedBank(change.bank, this.embeddingOptions));
        return;
      }
      case 'bank-deleted':
        this.byId.delete(change.bankId);
        return;
      case 'entry-added':
        try {
          this.byId.get(change.entry.bankId)?.add(change.entry);
        } catch (err) {
          // The store checks kind, model and size on insert, so a mismatch here is history: an entry of a
          // bank since deleted and re-created as another kind, read with the bank's current definition.
          if (!(err instanceof BankError)) throw err;
        }
        return;
      case 'entry-removed':
        this.byId.get(change.bankId)?.remove(change.entryId);
        return;
    }
  }
}
