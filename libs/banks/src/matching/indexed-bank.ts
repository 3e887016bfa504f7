import { BankError } from '../errors';
import { EmbeddingIndex, type EmbeddingIndexOptions } from '../indexes/embedding-index';
import { PdqIndex } from '../indexes/pdq-index';
import { Sha256Index } from '../indexes/sha256-index';
import type { Bank } from './bank';
import { assertKind, type BankEntry } from './entry';

export type KindIndex =
  | { kind: 'sha256'; index: Sha256Index }
  | { kind: 'pdq'; index: PdqIndex }
  | { kind: 'embedding'; index: EmbeddingIndex | undefined };

/**
 * A bank with its in-memory index. `revision` counts the changes applied, so a decision can record
 * exactly which state of the bank it was checked against.
 */
export class IndexedBank {
  revision = 0;
  readonly index: KindIndex;

  constructor(
    public bank: Bank,
    private readonly embeddingOptions?: EmbeddingIndexOptions,
  ) {
    this.index =
      bank.kind === 'sha256'
        ? { kind: 'sha256', index: new Sha256Index() }
        : bank.kind === 'pdq'
          ? { kind: 'pdq', index: new PdqIndex() }
          : { kind: 'embedding', index: undefined };
  }

  get size(): number {
    return this.index.index?.size ?? 0;
  }

  add(entry: BankEntry): void {
    const { value } = entry;
    assertKind(value, this.bank.kind, this.bank.id);
    if (value.kind === 'sha256' && this.index.kind === 'sha256') this.index.index.add(entry.id, value.sha256);
    if (value.kind === 'pdq' && this.index.kind === 'pdq') this.index.index.add(entry.id, value.hash);
    if (value.kind === 'embedding' && this.index.kind === 'embedding') {
      if (value.modelId !== this.bank.modelId) {
        throw new BankError(
          'EMBEDDING_INVALID',
          `bank ${this.bank.id} holds embeddings of model ${this.bank.modelId}, not ${value.modelId}`,
        );
      }
      this.index.index ??= new EmbeddingIndex(value.vector.length, this.embeddingOptions);
      if (value.vector.length !== this.index.index.dimensions) {
        throw new BankError(
          'EMBEDDING_INVALID',
          `bank ${this.bank.id} holds ${this.index.index.dimensions}-dimensional embeddings, not ${value.vector.length}`,
        );
      }
      this.index.index.add(entry.id, value.vector);
    }
    this.revision++;
  }

  remove(entryId: string): boolean {
    const removed = this.index.index?.remove(entryId) ?? false;
    if (removed) this.revision++;
    return removed;
  }
}
