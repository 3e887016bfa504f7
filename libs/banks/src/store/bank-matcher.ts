import type { ImageLimits } from '@clipguard/config';
import type { IndexedBank } from '../matching/indexed-bank';
import { appliesToTenant } from '../matching/bank';
import { matchBanks, type BankOutcome } from '../matching/match';
import { pdqDihedralHashImage } from '../pdq/pdq-image';
import { pdqToHex } from '../pdq/pdq-hash';
import type { EmbeddingIndexOptions } from '../indexes/embedding-index';
import { BankIndexes } from './bank-indexes';
import type { BankStore } from './bank-store';

/** What a process knows about an image when it consults the banks. */
export interface ImageFacts {
  tenant: string;
  sha256: string;
  /** The encoded image, decoded again for its PDQ hash only when a PDQ bank of the tenant has entries. */
  image?: Uint8Array;
  embedding?: { vector: Float32Array; modelId: string };
}

export interface MatchResult {
  outcome: BankOutcome;
  /** The store revision the indexes reflected. */
  revision: number;
  pdq?: { hash: string; quality: number };
  /** Why the PDQ hash could not be taken (the banks then skip PDQ and say so). */
  pdqError?: string;
  ms: number;
}

/**
 * The banks of one process: indexes loaded from the store once, brought up to the store's revision
 * before each match (one indexed read of the change log, shared by concurrent callers), so an entry
 * committed before a submission is matched is always consulted.
 */
export class BankMatcher {
  private running?: Promise<void>;
  private queued?: Promise<void>;

  private constructor(
    private readonly store: BankStore,
    private readonly indexes: BankIndexes,
    private readonly limits?: ImageLimits,
  ) {}

  static async open(
    store: BankStore,
    options: { limits?: ImageLimits; embedding?: EmbeddingIndexOptions } = {},
  ): Promise<BankMatcher> {
    return new BankMatcher(store, await BankIndexes.load(store, options.embedding), options.limits);
  }

  get revision(): number {
    return this.indexes.appliedRevision;
  }

  /**
   * Catches up with the store. A caller arriving while a read is under way waits for the next one, which
   * starts after it: the read it waits for began after the caller asked.
   */
  refresh(): Promise<void> {
    if (!this.running) return this.run();
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.run();
      });
    return this.queued;
  }

  /** The enabled banks that apply to a tenant. */
  banksFor(tenant: string): IndexedBank[] {
    return this.indexes.banks().filter((b) => b.bank.enabled && appliesToTenant(b.bank, tenant));
  }

  /** Refreshes, then matches; undefined when no bank applies to the tenant. */
  async match(facts: ImageFacts): Promise<MatchResult | undefined> {
    await this.refresh();
    const started = performance.now();
    const banks = this.banksFor(facts.tenant);
    if (banks.length === 0) return undefined;
    const wantsPdq = banks.some((b) => b.bank.kind === 'pdq' && b.size > 0);
    let pdq: Awaited<ReturnType<typeof pdqDihedralHashImage>> | undefined;
    let pdqError: string | undefined;
    if (wantsPdq && facts.image) {
      try {
        pdq = await pdqDihedralHashImage(facts.image, this.limits);
      } catch (err) {
        // The CLIP encoder read this image, so the policy still decides; PDQ banks record the skip.
        pdqError = err instanceof Error ? err.message : String(err);
      }
    }
    const outcome = matchBanks(
      {
        tenant: facts.tenant,
        sha256: facts.sha256,
        pdq: pdq && { hash: pdq.hashes.original, quality: pdq.quality, dihedral: pdq.hashes },
        embedding: facts.embedding,
      },
      banks,
    );
    return {
      outcome,
      revision: this.indexes.appliedRevision,
      pdq: pdq && { hash: pdqToHex(pdq.hashes.original), quality: pdq.quality },
      pdqError,
      ms: performance.now() - started,
    };
  }

  private run(): Promise<void> {
    const p: Promise<void> = this.indexes
      .catchUp(this.store)
      .then(() => undefined)
      .finally(() => {
        if (this.running === p) this.running = undefined;
      });
    this.running = p;
    return p;
  }
}
