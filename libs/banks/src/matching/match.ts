import { DIHEDRAL_VARIANTS, type DihedralVariant } from '../pdq/dct';
import type { DihedralHashes } from '../pdq/pdq';
import { PDQ_MIN_QUALITY, type PdqHash } from '../pdq/pdq-hash';
import { appliesToTenant, type BankAction, type BankKind } from './bank';
import type { IndexedBank } from './indexed-bank';

/** What the worker knows about an image when it consults the banks. */
export interface MatchQuery {
  tenant: string;
  sha256?: string;
  pdq?: { hash: PdqHash; quality: number; dihedral?: DihedralHashes };
  /** Need not be normalised; compared only with banks of the same model. */
  embedding?: { vector: Float32Array; modelId: string };
}

export interface BankMatch {
  bankId: string;
  bankTitle: string;
  kind: BankKind;
  action: BankAction;
  entryId: string;
  threshold: number;
  /** PDQ: Hamming distance; sha256: 0. */
  distance?: number;
  /** Embedding: cosine similarity. */
  similarity?: number;
  /** PDQ: which rotation or mirror of the query matched. */
  variant?: DihedralVariant;
}

export type SkipReason = 'no-sha256' | 'no-pdq' | 'low-quality-pdq' | 'no-embedding' | 'other-model';

/** One bank consulted for a decision, in the state (revision, size) it had. */
export interface BankCheck {
  bankId: string;
  kind: BankKind;
  revision: number;
  entries: number;
  matches: number;
  skipped?: SkipReason;
}

export interface BankOutcome {
  /** Every match, most decisive first (see precedence below). */
  matches: BankMatch[];
  /** The match that decides, if any. */
  winner?: BankMatch;
  checked: BankCheck[];
}

/**
 * Precedence among banks: the most specific match decides (an exact sha256 entry is a human judgement
 * about this very file, a PDQ match about a near-identical picture, an embedding match about a similar
 * one); among equally specific matches the most severe action wins (block, then review, then allow);
 * then the closest match, then bank and entry id so that the order is stable.
 */
const SPECIFICITY: Record<BankKind, number> = { sha256: 0, pdq: 1, embedding: 2 };
const SEVERITY: Record<BankAction, number> = { block: 0, review: 1, allow: 2 };

export function compareMatches(a: BankMatch, b: BankMatch): number {
  return (
    SPECIFICITY[a.kind] - SPECIFICITY[b.kind] ||
    SEVERITY[a.action] - SEVERITY[b.action] ||
    (a.distance ?? 0) - (b.distance ?? 0) ||
    (b.similarity ?? 0) - (a.similarity ?? 0) ||
    a.bankId.localeCompare(b.bankId) ||
    a.entryId.localeCompare(b.entryId)
  );
}

function unit(v: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i] * v[i];
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return Float32Array.from(v, (x) => x * scale);
}

type Found = Omit<BankMatch, 'bankId' | 'bankTitle' | 'kind' | 'action' | 'threshold'>;

function searchBank(ib: IndexedBank, query: MatchQuery, queryUnit?: Float32Array): Found[] | SkipReason {
  const { bank, index } = ib;
  switch (index.kind) {
    case 'sha256':
      if (!query.sha256) return 'no-sha256';
      return index.index.search(query.sha256).map((entryId) => ({ entryId, distance: 0 }));
    case 'pdq': {
      if (!query.pdq) return 'no-pdq';
      if (query.pdq.quality < PDQ_MIN_QUALITY) return 'low-quality-pdq';
      const variants: DihedralVariant[] =
        bank.matchDihedral && query.pdq.dihedral ? [...DIHEDRAL_VARIANTS] : ['original'];
      const hashes = variants.map((v) => (v === 'original' ? query.pdq!.hash : query.pdq!.dihedral![v]));
      return index.index
        .search(hashes, bank.threshold)
        .map((hit) => ({ entryId: hit.entryId, distance: hit.distance, variant: variants[hit.query] }));
    }
    case 'embedding':
      if (!query.embedding || !queryUnit) return 'no-embedding';
      if (query.embedding.modelId !== bank.modelId) return 'other-model';
      return (index.index?.search(queryUnit, bank.threshold) ?? []).map((hit) => ({
        entryId: hit.entryId,
        similarity: hit.similarity,
      }));
  }
}

/**
 * Consults every enabled bank of the tenant. Pure apart from reading the in-memory indexes: the same
 * query against the same bank revisions gives the same outcome.
 */
export function matchBanks(query: MatchQuery, banks: Iterable<IndexedBank>): BankOutcome {
  const matches: BankMatch[] = [];
  const checked: BankCheck[] = [];
  const queryUnit = query.embedding ? unit(query.embedding.vector) : undefined;
  for (const ib of banks) {
    const { bank } = ib;
    if (!bank.enabled || !appliesToTenant(bank, query.tenant)) continue;
    const found = searchBank(ib, query, queryUnit);
    const check: BankCheck = {
      bankId: bank.id,
      kind: bank.kind,
      revision: ib.revision,
      entries: ib.size,
      matches: 0,
    };
    if (typeof found === 'string') {
      checked.push({ ...check, skipped: found });
      continue;
    }
    const { id, title, kind, action, threshold } = bank;
    for (const hit of found) {
      matches.push({ bankId: id, bankTitle: title, kind, action, threshold, ...hit });
    }
    checked.push({ ...check, matches: found.length });
  }
  matches.sort(compareMatches);
  return { matches, winner: matches[0], checked };
}
