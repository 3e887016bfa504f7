import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClipError } from '../errors';
import { cutToLongest, type ClipTokenizer } from './clip-tokenizer';
import { fromOpenAiBpe, fromVocabAndMerges, loadTokenizer } from './load-tokenizer';
import { normalizeText } from './normalize';
import { SHARED_DIR } from '@clipguard/testing';

const SHARED = join(SHARED_DIR, 'clip');
const TINY = join(__dirname, '../../../../test/fixtures/models/tiny-clip');

interface Case {
  text: string;
  bpe_ids: number[];
  context77: number[];
}
const { cases } = JSON.parse(readFileSync(join(SHARED, 'tokenizer-cases.json'), 'utf8')) as { cases: Case[] };

describe('ClipTokenizer on OpenAI reference cases', () => {
  // A fresh tokenizer in each test: one shared instance would serve later tests from its word cache, and
  // mutation testing would then credit a merge rule only to the first test that needed it.
  let tokenizer: ClipTokenizer;
  beforeEach(() => {
    tokenizer = fromOpenAiBpe(join(SHARED, 'bpe_simple_vocab_16e6.txt.gz'));
  });

  it('has the reference vocabulary size and special ids', () => {
    expect(tokenizer.vocabSize).toBe(49408);
    expect(tokenizer.sotId).toBe(49406);
    expect(tokenizer.eotId).toBe(49407);
  });

  it.each(cases.map((c) => [c.text.slice(0, 60), c] as const))('encodes %j exactly', (_, c) => {
    expect(tokenizer.encode(c.text)).toEqual(c.bpe_ids);
    const { inputIds, attentionMask } = tokenizer.tokenize([c.text]);
    expect(inputIds[0]).toEqual(c.context77);
    const used = c.context77.findIndex((id) => id === 49407) + 1;
    expect(attentionMask[0]).toEqual(c.context77.map((_, i) => (i < used ? 1 : 0)));
  });

  it('normalises HTML entities, curly quotes and whitespace like the reference', () => {
    expect(tokenizer.encode('don&#39;t\n\n  STOP')).toEqual(tokenizer.encode("don't stop"));
    expect(tokenizer.encode('don\u2019t')).toEqual(tokenizer.encode("don't"));
    expect(tokenizer.encode('cafe\u0301')).toEqual(tokenizer.encode('caf\u00e9'));
  });

  it('cuts a padded batch to its longest row, keeping every real token and its mask', () => {
    const full = tokenizer.tokenize(['a photo of a cat', 'a diagram of two large blue circles on stripes']);
    const cut = cutToLongest(full);
    const longest = Math.max(...full.attentionMask.map((m) => m.filter(Boolean).length));
    expect(longest).toBeLessThan(77);
    cut.inputIds.forEach((row, i) => {
      expect(row).toHaveLength(longest);
      expect(row).toEqual(full.inputIds[i].slice(0, longest));
      expect(cut.attentionMask[i]).toEqual(full.attentionMask[i].slice(0, longest));
      expect(cut.attentionMask[i].filter(Boolean).length).toBe(full.attentionMask[i].filter(Boolean).length);
    });
    // The end-of-text token of the longest row is the last position kept.
    expect(cut.inputIds[1][longest - 1]).toBe(49407);
  });

  it('refuses text over the configured length with TEXT_TOO_LONG', () => {
    const limited = fromOpenAiBpe(join(SHARED, 'bpe_simple_vocab_16e6.txt.gz'), 10);
    expect(() => limited.encode('a'.repeat(11))).toThrow(/exceeds 10/);
    expect(() => limited.encode('a'.repeat(10))).not.toThrow();
  });
});

describe('loadTokenizer formats', () => {
  it('gives the same ids from tokenizer.json and from vocab.json + merges.txt', () => {
    const a = loadTokenizer(join(TINY, 'tokenizer.json'));
    const b = loadTokenizer(join(TINY, 'vocab.json'));
    const texts = ['a photo of two small red stars.', 'three purple hearts on a striped background'];
    expect(a.tokenize(texts)).toEqual(b.tokenize(texts));
    expect(loadTokenizer(TINY).tokenize(texts)).toEqual(a.tokenize(texts));
  });

  it('names the missing file', () => {
    expect(() => loadTokenizer('/nonexistent/tokenizer.json')).toThrow(ClipError);
    expect(() => loadTokenizer('/nonexistent/tokenizer.json')).toThrow(/nonexistent/);
  });
});

describe('loadTokenizer refuses what is not a CLIP tokenizer, naming the file', () => {
  const fixture = JSON.parse(readFileSync(join(TINY, 'tokenizer.json'), 'utf8')) as {
    model: { merges: string[]; vocab: Record<string, number>; end_of_word_suffix?: string };
    added_tokens: { id: number; content: string }[];
  };
  const texts = ['a photo of two small red stars.'];
  const reference = loadTokenizer(join(TINY, 'tokenizer.json')).tokenize(texts);
  const dir = () => mkdtempSync(join(tmpdir(), 'clipguard-tokenizer-'));
  const write = (name: string, content: string | Buffer) => {
    const path = join(dir(), name);
    writeFileSync(path, content);
    return path;
  };
  const json = (value: unknown) => write('tokenizer.json', JSON.stringify(value));
  const refusal = (load: () => unknown) => {
    try {
      load();
    } catch (err) {
      if (err instanceof ClipError) return `${err.code}: ${err.message}`;
      throw err;
    }
    throw new Error('expected the tokenizer to be refused');
  };

  it('reads merges written as pairs as well as "a b" lines', () => {
    const pairs = json({
      ...fixture,
      model: { ...fixture.model, merges: fixture.model.merges.map((m) => m.split(' ')) },
    });
    expect(loadTokenizer(pairs).tokenize(texts)).toEqual(reference);
  });

  it("finds vocab.json and merges.txt in a directory without tokenizer.json, and OpenAI's .gz by its name", () => {
    const d = dir();
    writeFileSync(join(d, 'vocab.json'), readFileSync(join(TINY, 'vocab.json')));
    writeFileSync(join(d, 'merges.txt'), readFileSync(join(TINY, 'merges.txt')));
    expect(loadTokenizer(d).tokenize(texts)).toEqual(reference);
    expect(loadTokenizer(join(SHARED, 'bpe_simple_vocab_16e6.txt.gz')).vocabSize).toBe(49408);
  });

  it.each([
    [
      'a directory with neither layout',
      () => loadTokenizer(dir()),
      /^MODEL_FILE_MISSING: .*expected tokenizer\.json, or vocab\.json and merges\.txt$/,
    ],
    [
      'text that is not JSON',
      () => loadTokenizer(write('tokenizer.json', '{ nope')),
      /^TOKENIZER_INVALID: .*tokenizer\.json: not valid JSON$/,
    ],
    [
      'JSON of another shape',
      () => loadTokenizer(json({ model: { type: 'WordPiece' } })),
      /^TOKENIZER_INVALID: .*expected a BPE tokenizer\.json/,
    ],
    [
      'a BPE without the </w> suffix',
      () => loadTokenizer(json({ ...fixture, model: { ...fixture.model, end_of_word_suffix: undefined } })),
      /^TOKENIZER_INVALID: .*expected CLIP's "<\/w>" end-of-word suffix$/,
    ],
    [
      'a merge line without exactly two parts',
      () => loadTokenizer(json({ ...fixture, model: { ...fixture.model, merges: ['r e', 'a b c'] } })),
      /^TOKENIZER_INVALID: .*bad merge line "a b c"$/,
    ],
    [
      'a vocabulary without the start and end tokens',
      () => {
        const vocab = Object.fromEntries(
          Object.entries(fixture.model.vocab).filter(([t]) => !t.startsWith('<|')),
        );
        return loadTokenizer(json({ ...fixture, model: { ...fixture.model, vocab }, added_tokens: [] }));
      },
      /^TOKENIZER_INVALID: vocabulary lacks <\|startoftext\|> or <\|endoftext\|>$/,
    ],
    [
      'a vocabulary with the start token but no end token',
      () => {
        const vocab = Object.fromEntries(
          Object.entries(fixture.model.vocab).filter(([t]) => t !== '<|endoftext|>'),
        );
        const added = fixture.added_tokens.filter((t) => t.content !== '<|endoftext|>');
        return loadTokenizer(json({ ...fixture, model: { ...fixture.model, vocab }, added_tokens: added }));
      },
      /^TOKENIZER_INVALID: vocabulary lacks/,
    ],
    [
      'a vocabulary with the end token but no start token',
      () => {
        const vocab = Object.fromEntries(
          Object.entries(fixture.model.vocab).filter(([t]) => t !== '<|startoftext|>'),
        );
        const added = fixture.added_tokens.filter((t) => t.content !== '<|startoftext|>');
        return loadTokenizer(json({ ...fixture, model: { ...fixture.model, vocab }, added_tokens: added }));
      },
      /^TOKENIZER_INVALID: vocabulary lacks/,
    ],
    [
      'a vocab.json that is not a mapping of ids',
      () => fromVocabAndMerges(write('vocab.json', '["a"]'), join(TINY, 'merges.txt')),
      /^TOKENIZER_INVALID: .*vocab\.json: expected \{token: id\}$/,
    ],
    [
      'a .gz that is not gzip',
      () => loadTokenizer(write('bpe.txt.gz', 'plain text')),
      /^TOKENIZER_INVALID: .*bpe\.txt\.gz: not a gzip BPE merges file$/,
    ],
  ])('refuses %s', (_, load, expected) => {
    expect(refusal(load)).toMatch(expected);
  });

  it('refuses to encode a piece its vocabulary lacks', () => {
    const vocab = { ...fixture.model.vocab };
    delete vocab['red</w>'];
    const tokenizer = loadTokenizer(json({ ...fixture, model: { ...fixture.model, vocab } }));
    expect(refusal(() => tokenizer.encode('a red star'))).toBe(
      'TOKENIZER_INVALID: token "red</w>" missing from vocabulary',
    );
  });
});

describe('normalizeText', () => {
  it('lower-cases, trims and collapses every kind of whitespace and line break to one space', () => {
    expect(normalizeText('  A  Red\tSTAR \n')).toBe('a red star');
    expect(normalizeText('a\r\nb\rc\u2028d\u2029e\u0085f')).toBe('a b c d e f');
  });

  it('drops control and zero-width characters without leaving a space', () => {
    expect(normalizeText('a\u0007b\u200bc\ufeffd')).toBe('abcd');
  });

  it('undoes ligatures, full-width forms and doubly escaped HTML as ftfy and the reference do', () => {
    expect(normalizeText('\ufb01ne \ufb00ect \u0132')).toBe('fine ffect ij');
    expect(normalizeText('\uff21\uff22\uff23\u3000\uff11')).toBe('abc 1');
    expect(normalizeText('fish &amp;amp; chips')).toBe('fish & chips');
  });
});
