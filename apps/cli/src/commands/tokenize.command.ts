import type { Command } from 'commander';
import { CONTEXT_LENGTH, loadTokenizer } from '@clipguard/clip';
import { loadEnv } from '@clipguard/config';
import { EXIT_CODES_HELP } from '../errors';
import { helpEpilogue } from '../options';
import type { CliIo } from '../output';
import { readVocabulary } from './token-vocabulary';

const quote = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);

export function registerTokenize(program: Command, io: CliIo): void {
  program
    .command('tokenize')
    .description('CLIP token ids (77-token rows, zero padded) and attention masks as JSON')
    .option(
      '--tokenizer <path>',
      "model dir, tokenizer.json, vocab.json, or OpenAI's bpe_simple_vocab_16e6.txt.gz (default: $CLIPGUARD_MODEL_DIR)",
    )
    .option('--tokens', 'show each text as its token strings instead of JSON')
    .argument('<text...>', 'texts to tokenise')
    .addHelpText(
      'after',
      helpEpilogue(
        [
          'clipguard tokenize "a photo of a cat"',
          'clipguard tokenize --tokens --tokenizer ../shared/clip/bpe_simple_vocab_16e6.txt.gz "a photo of a cat"',
        ],
        EXIT_CODES_HELP,
      ),
    )
    .action((texts: string[], opts: { tokenizer?: string; tokens?: boolean }) => {
      const path = opts.tokenizer ?? loadEnv().CLIPGUARD_MODEL_DIR;
      const tokenizer = loadTokenizer(path);
      const { inputIds, attentionMask } = tokenizer.tokenize(texts);
      const vocabulary = opts.tokens ? readVocabulary(path) : undefined;
      texts.forEach((text, i) => {
        const length = tokenizer.encode(text).length + 2;
        if (length > CONTEXT_LENGTH) {
          io.err(
            `warning: ${quote(text)} is ${length} tokens; CLIP reads the first ${CONTEXT_LENGTH} (with its start and end tokens), so the rest is cut`,
          );
        }
        if (!vocabulary) return;
        const used = inputIds[i].filter((_, k) => attentionMask[i][k] === 1);
        io.out(`${quote(text)}: ${used.length} of ${CONTEXT_LENGTH} tokens`);
        io.out(`  ${used.map((id) => `${vocabulary.get(id) ?? '?'}(${id})`).join(' ')}`);
      });
      if (!opts.tokens) io.out(JSON.stringify({ input_ids: inputIds, attention_mask: attentionMask }));
    });
}
