import type { Command } from 'commander';
import { loadTokenizer } from '@clipguard/clip';
import type { CliIo } from '../output';

export function registerTokenize(program: Command, io: CliIo): void {
  program
    .command('tokenize')
    .description('CLIP token ids (77-token rows, zero padded) and attention masks as JSON')
    .requiredOption(
      '--tokenizer <path>',
      "model dir, tokenizer.json, vocab.json, or OpenAI's bpe_simple_vocab_16e6.txt.gz",
    )
    .argument('<text...>', 'texts to tokenise')
    .action((texts: string[], opts: { tokenizer: string }) => {
      const { inputIds, attentionMask } = loadTokenizer(opts.tokenizer).tokenize(texts);
      io.out(JSON.stringify({ input_ids: inputIds, attention_mask: attentionMask }));
    });
}
