import type { Command } from 'commander';
import { similarityMatrix } from '@clipguard/clip';
import { withEngine, type EngineFlags } from '../engine-options';
import { EXIT_CODES_HELP, UsageError } from '../errors';
import { discoverInputs, imagePaths, requireInput } from '../inputs/discover';
import { embedPaths, reportInputProblems } from '../inputs/embed-images';
import { collect, helpEpilogue, withModelOptions } from '../options';
import { formatTable, type CliIo } from '../output';

interface SimilarityFlags extends EngineFlags {
  text: string[];
  json?: boolean;
}

export function registerSimilarity(program: Command, io: CliIo): void {
  withModelOptions(program.command('similarity'))
    .description('cosine similarity of every image with every text')
    .argument('<images...>', 'image files or directories')
    .option('--text <text>', 'text to compare with (repeatable; at least one required)', collect, [])
    .option('--json', 'print {"model", "images", "texts", "similarity"} as JSON')
    .addHelpText(
      'after',
      helpEpilogue(
        ['clipguard similarity coffee.png cat.png --text "a cup of coffee" --text "a cat"'],
        EXIT_CODES_HELP,
      ),
    )
    .action(async (images: string[], opts: SimilarityFlags) => {
      if (opts.text.length === 0) {
        throw new UsageError('no text to compare with', 'add --text "some text" (repeatable)');
      }
      const entries = discoverInputs(images);
      requireInput(images, entries);
      await withEngine(opts, async (engine) => {
        const { embedded, unreadable } = await embedPaths(engine, io, imagePaths(entries));
        const paths = imagePaths(entries).filter((p) => embedded.has(p));
        const vectors = paths.flatMap((p) => embedded.get(p)?.embeddings.slice(0, 1) ?? []);
        const matrix = similarityMatrix(vectors, await engine.embedTexts(opts.text));
        if (opts.json) {
          io.out(
            JSON.stringify({ model: engine.modelId, images: paths, texts: opts.text, similarity: matrix }),
          );
        } else {
          io.out(
            formatTable([
              ['image', ...opts.text],
              ...paths.map((f, i) => [f, ...matrix[i].map((s) => s.toFixed(4))]),
            ]),
          );
        }
        reportInputProblems(io, entries, unreadable);
      });
    });
}
