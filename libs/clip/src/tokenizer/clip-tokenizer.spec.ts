import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClipError } from '../errors';
import { cutToLongest } from './clip-tokenizer';
import { fromOpenAiBpe, loadTokenizer } from './load-tokenizer';
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
  const tokenizer = fromOpenAiBpe(join(SHARED, 'bpe_simple_vocab_16e6.txt.gz'));

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
