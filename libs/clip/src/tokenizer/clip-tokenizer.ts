import { ClipError } from '../errors';
import { BYTE_TO_UNICODE } from './byte-unicode';
import { normalizeText } from './normalize';

export const SOT = '<|startoftext|>';
export const EOT = '<|endoftext|>';
export const CONTEXT_LENGTH = 77;

// CLIP's pre-tokenisation pattern (simple_tokenizer.py), applied to lower-cased text.
const WORD_PATTERN =
  /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+/gu;

export interface TokenizedBatch {
  inputIds: number[][];
  attentionMask: number[][];
}

/**
 * OpenAI CLIP's byte-level BPE tokenizer, written here because no npm library reproduces the reference:
 * Hugging Face's tokenizers (and transformers.js) skip the double HTML unescape and ftfy clean-up and pad
 * with <|endoftext|>, so their ids differ from `clip.tokenize` on real-world text.
 */
export class ClipTokenizer {
  private readonly ranks = new Map<string, number>();
  private readonly cache = new Map<string, string[]>();
  readonly sotId: number;
  readonly eotId: number;

  constructor(
    private readonly encoder: ReadonlyMap<string, number>,
    merges: readonly (readonly [string, string])[],
    private readonly maxTextLength = Infinity,
  ) {
    merges.forEach(([a, b], i) => this.ranks.set(`${a} ${b}`, i));
    const sot = encoder.get(SOT);
    const eot = encoder.get(EOT);
    if (sot === undefined || eot === undefined) {
      throw new ClipError('TOKENIZER_INVALID', `vocabulary lacks ${SOT} or ${EOT}`);
    }
    this.sotId = sot;
    this.eotId = eot;
    this.cache.set(SOT, [SOT]);
    this.cache.set(EOT, [EOT]);
  }

  get vocabSize(): number {
    return this.encoder.size;
  }

  /** Token ids without the start and end tokens (the reference's `encode`). */
  encode(text: string): number[] {
    if (text.length > this.maxTextLength) {
      throw new ClipError('TEXT_TOO_LONG', `text of ${text.length} characters exceeds ${this.maxTextLength}`);
    }
    const ids: number[] = [];
    for (const match of normalizeText(text).matchAll(WORD_PATTERN)) {
      const symbols = Array.from(Buffer.from(match[0], 'utf8'), (b) => BYTE_TO_UNICODE[b]).join('');
      for (const piece of this.bpe(symbols)) {
        const id = this.encoder.get(piece);
        if (id === undefined)
          throw new ClipError('TOKENIZER_INVALID', `token "${piece}" missing from vocabulary`);
        ids.push(id);
      }
    }
    return ids;
  }

  /** `clip.tokenize(texts, truncate=True)`: SOT + up to 75 ids + EOT, zero padded, with attention masks. */
  tokenize(texts: readonly string[], contextLength = CONTEXT_LENGTH): TokenizedBatch {
    const inputIds: number[][] = [];
    const attentionMask: number[][] = [];
    for (const text of texts) {
      const row = [this.sotId, ...this.encode(text).slice(0, contextLength - 2), this.eotId];
      attentionMask.push(Array.from({ length: contextLength }, (_, i) => (i < row.length ? 1 : 0)));
      inputIds.push(row.concat(new Array<number>(contextLength - row.length).fill(0)));
    }
    return { inputIds, attentionMask };
  }

  private bpe(token: string): string[] {
    const cached = this.cache.get(token);
    if (cached) return cached;
    const chars = Array.from(token);
    let word = [...chars.slice(0, -1), `${chars[chars.length - 1]}</w>`];
    while (word.length > 1) {
      let best: string | undefined;
      let bestRank = Infinity;
      for (let i = 0; i < word.length - 1; i++) {
        const rank = this.ranks.get(`${word[i]} ${word[i + 1]}`);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          best = `${word[i]} ${word[i + 1]}`;
        }
      }
      if (best === undefined) break;
      const merged: string[] = [];
      for (let i = 0; i < word.length; i++) {
        if (i < word.length - 1 && `${word[i]} ${word[i + 1]}` === best) {
          merged.push(word[i] + word[i + 1]);
          i++;
        } else {
          merged.push(word[i]);
        }
      }
      word = merged;
    }
    if (this.cache.size < 100_000) this.cache.set(token, word);
    return word;
  }
}

/**
 * A padded batch cut to its longest row. Positions after end-of-text change nothing in CLIP's text tower
 * (causal attention, pooled at end-of-text), so a graph with a dynamic sequence axis gives the same
 * embeddings for a fraction of the compute: most prompts are about 10 tokens, not 77.
 */
export function cutToLongest(batch: TokenizedBatch): TokenizedBatch {
  const longest = Math.max(1, ...batch.attentionMask.map((row) => row.reduce((a, b) => a + b, 0)));
  return {
    inputIds: batch.inputIds.map((row) => row.slice(0, longest)),
    attentionMask: batch.attentionMask.map((row) => row.slice(0, longest)),
  };
}
