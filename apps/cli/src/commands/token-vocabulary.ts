import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';

/**
 * GPT-2's bytes_to_unicode table in its dict order (printable bytes first), as OpenAI's simple_tokenizer
 * builds CLIP's vocabulary from it. Repeated here because the engine's tokenizer maps strings to ids only;
 * `tokenize --tokens` needs the way back, and for OpenAI's .gz file the vocabulary exists nowhere else.
 */
function byteAlphabet(): string[] {
  const printable = (from: string, to: string) =>
    Array.from({ length: to.charCodeAt(0) - from.charCodeAt(0) + 1 }, (_, i) => from.charCodeAt(0) + i);
  const bytes = [...printable('!', '~'), ...printable('¡', '¬'), ...printable('®', 'ÿ')];
  const chars = bytes.map((b) => String.fromCharCode(b));
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bytes.includes(b)) {
      bytes.push(b);
      chars.push(String.fromCharCode(256 + n++));
    }
  }
  return chars;
}

const vocabJson = z.record(z.string(), z.number().int());
const tokenizerJson = z.object({
  model: z.object({ vocab: vocabJson }),
  added_tokens: z.array(z.object({ id: z.number().int(), content: z.string() })).default([]),
});

function invert(vocab: Record<string, number>): Map<number, string> {
  return new Map(Object.entries(vocab).map(([token, id]) => [id, token]));
}

/** id → token string for the same paths `tokenize --tokenizer` accepts. */
export function readVocabulary(path: string): Map<number, string> {
  if (statSync(path).isDirectory()) {
    const json = join(path, 'tokenizer.json');
    return readVocabulary(existsSync(json) ? json : join(path, 'vocab.json'));
  }
  const name = basename(path);
  if (name.endsWith('.gz')) {
    const merges = gunzipSync(readFileSync(path))
      .toString('utf8')
      .split('\n')
      .slice(1, 49152 - 256 - 2 + 1);
    const alphabet = byteAlphabet();
    const tokens = [
      ...alphabet,
      ...alphabet.map((c) => `${c}</w>`),
      ...merges.map((m) => m.replace(' ', '')),
    ];
    tokens.push('<|startoftext|>', '<|endoftext|>');
    return new Map(tokens.map((t, i) => [i, t]));
  }
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (name === 'vocab.json') return invert(vocabJson.parse(parsed));
  const { model, added_tokens } = tokenizerJson.parse(parsed);
  const out = invert(model.vocab);
  for (const t of added_tokens) out.set(t.id, t.content);
  return out;
}
