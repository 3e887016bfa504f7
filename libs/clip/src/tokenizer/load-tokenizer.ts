import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { ClipError } from '../errors';
import { BYTE_ALPHABET } from './byte-unicode';
import { ClipTokenizer, EOT, SOT } from './clip-tokenizer';

type Merge = readonly [string, string];

// OpenAI's file holds more merges than CLIP uses: the vocabulary is capped at 49408 tokens.
const OPENAI_MERGES = 49152 - 256 - 2;

const tokenizerJsonSchema = z.object({
  model: z.object({
    type: z.literal('BPE'),
    vocab: z.record(z.string(), z.number().int().nonnegative()),
    merges: z.array(z.union([z.string(), z.tuple([z.string(), z.string()])])),
    end_of_word_suffix: z.string().nullish(),
  }),
  added_tokens: z.array(z.object({ id: z.number().int(), content: z.string() })).default([]),
});

function splitMerge(line: string, file: string): Merge {
  const parts = line.split(' ');
  if (parts.length !== 2) throw new ClipError('TOKENIZER_INVALID', `${file}: bad merge line "${line}"`);
  return [parts[0], parts[1]];
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ClipError('TOKENIZER_INVALID', `${file}: not valid JSON`, { cause: err });
  }
}

export function fromTokenizerJson(file: string, maxTextLength?: number): ClipTokenizer {
  const parsed = tokenizerJsonSchema.safeParse(readJson(file));
  if (!parsed.success) {
    throw new ClipError(
      'TOKENIZER_INVALID',
      `${file}: expected a BPE tokenizer.json (${parsed.error.message})`,
    );
  }
  const { model, added_tokens } = parsed.data;
  if (model.end_of_word_suffix !== '</w>') {
    throw new ClipError('TOKENIZER_INVALID', `${file}: expected CLIP's "</w>" end-of-word suffix`);
  }
  const vocab = new Map(Object.entries(model.vocab));
  for (const t of added_tokens) vocab.set(t.content, t.id);
  const merges = model.merges.map((m) => (typeof m === 'string' ? splitMerge(m, file) : m));
  return new ClipTokenizer(vocab, merges, maxTextLength);
}

export function fromVocabAndMerges(
  vocabFile: string,
  mergesFile: string,
  maxTextLength?: number,
): ClipTokenizer {
  const vocab = z.record(z.string(), z.number().int()).safeParse(readJson(vocabFile));
  if (!vocab.success) throw new ClipError('TOKENIZER_INVALID', `${vocabFile}: expected {token: id}`);
  const merges = readFileSync(mergesFile, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#version'))
    .map((l) => splitMerge(l, mergesFile));
  return new ClipTokenizer(new Map(Object.entries(vocab.data)), merges, maxTextLength);
}

/** OpenAI's `bpe_simple_vocab_16e6.txt.gz`: the vocabulary is built from the merges as the reference does. */
export function fromOpenAiBpe(file: string, maxTextLength?: number): ClipTokenizer {
  let lines: string[];
  try {
    lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
  } catch (err) {
    throw new ClipError('TOKENIZER_INVALID', `${file}: not a gzip BPE merges file`, { cause: err });
  }
  const merges = lines.slice(1, OPENAI_MERGES + 1).map((l) => splitMerge(l, file));
  const tokens = [...BYTE_ALPHABET, ...BYTE_ALPHABET.map((c) => `${c}</w>`)];
  tokens.push(...merges.map(([a, b]) => a + b), SOT, EOT);
  return new ClipTokenizer(new Map(tokens.map((t, i) => [t, i])), merges, maxTextLength);
}

/** Loads from a model directory, a tokenizer.json, a vocab.json (merges.txt beside it) or OpenAI's .gz file. */
export function loadTokenizer(path: string, maxTextLength?: number): ClipTokenizer {
  if (!existsSync(path))
    throw new ClipError('MODEL_FILE_MISSING', `${path}: no such tokenizer file or directory`);
  if (statSync(path).isDirectory()) {
    const json = join(path, 'tokenizer.json');
    if (existsSync(json)) return fromTokenizerJson(json, maxTextLength);
    const vocab = join(path, 'vocab.json');
    const merges = join(path, 'merges.txt');
    if (existsSync(vocab) && existsSync(merges)) return fromVocabAndMerges(vocab, merges, maxTextLength);
    throw new ClipError(
      'MODEL_FILE_MISSING',
      `${path}: expected tokenizer.json, or vocab.json and merges.txt`,
    );
  }
  const name = basename(path);
  if (name.endsWith('.gz')) return fromOpenAiBpe(path, maxTextLength);
  if (name === 'vocab.json') return fromVocabAndMerges(path, join(path, '..', 'merges.txt'), maxTextLength);
  return fromTokenizerJson(path, maxTextLength);
}
