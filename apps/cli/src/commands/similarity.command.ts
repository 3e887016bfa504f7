import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { similarityMatrix } from '@clipguard/clip';
import { collect, withEngine, withModelOptions, type EngineFlags } from '../engine-options';
import { UsageError } from '../errors';
import { formatTable, type CliIo } from '../output';

interface SimilarityFlags extends EngineFlags {
  image: string[];
  text: string[];
  json?: boolean;
}

export function registerSimilarity(program: Command, io: CliIo): void {
  withModelOptions(program.command('similarity'))
    .description('cosine similarity of every image with every text')
    .option('--image <file>', 'image (repeatable)', collect, [])
    .option('--text <text>', 'text (repeatable)', collect, [])
    .option('--json', 'print {"images", "texts", "similarity"} as JSON')
    .action(async (opts: SimilarityFlags) => {
      if (opts.image.length === 0 || opts.text.length === 0)
        throw new UsageError('give at least one --image and one --text');
      await withEngine(opts, async (engine) => {
        const images = await Promise.all(
          opts.image.map(async (f) => (await engine.embedImage(readFileSync(f))).embeddings[0]),
        );
        const matrix = similarityMatrix(images, await engine.embedTexts(opts.text));
        if (opts.json) {
          io.out(
            JSON.stringify({
              model: engine.modelId,
              images: opts.image,
              texts: opts.text,
              similarity: matrix,
            }),
          );
          return;
        }
        io.out(
          formatTable([
            ['image', ...opts.text],
            ...opts.image.map((f, i) => [f, ...matrix[i].map((s) => s.toFixed(4))]),
          ]),
        );
      });
    });
}
