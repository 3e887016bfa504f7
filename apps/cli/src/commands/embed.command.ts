import type { Command } from 'commander';
import { withEngine, type EngineFlags } from '../engine-options';
import { EXIT_CODES_HELP, UsageError } from '../errors';
import { discoverInputs, imagePaths, requireInput } from '../inputs/discover';
import { embedPaths, reportInputProblems } from '../inputs/embed-images';
import { collect, frames, helpEpilogue, withModelOptions } from '../options';
import type { CliIo } from '../output';

interface EmbedFlags extends EngineFlags {
  text: string[];
  frames: number;
}

export function registerEmbed(program: Command, io: CliIo): void {
  withModelOptions(program.command('embed'))
    .description('L2-normalised CLIP embeddings as JSON lines: {"model", "kind", "input", "embedding"}')
    .argument('[images...]', 'image files or directories')
    .option('--text <text>', 'text to embed (repeatable)', collect, [])
    .option(
      '--frames <n>',
      'frames sampled from animated images (1 to $CLIPGUARD_MAX_FRAMES), one line each',
      frames,
      1,
    )
    .addHelpText(
      'after',
      helpEpilogue(
        [
          'clipguard embed photo.jpg',
          'clipguard embed --text "a photo of a cat" --text "a dog"',
          'clipguard embed clip.gif --frames 4',
        ],
        EXIT_CODES_HELP,
      ),
    )
    .action(async (images: string[], opts: EmbedFlags) => {
      if (images.length + opts.text.length === 0) {
        throw new UsageError('nothing to embed', 'give image files or directories, or --text "some text"');
      }
      const entries = images.length ? discoverInputs(images) : [];
      if (images.length) requireInput(images, entries);
      await withEngine(opts, async (engine) => {
        const model = engine.modelId;
        const texts = await engine.embedTexts(opts.text);
        opts.text.forEach((t, i) =>
          io.out(JSON.stringify({ model, kind: 'text', input: t, embedding: Array.from(texts[i]) })),
        );
        const paths = imagePaths(entries);
        const { embedded, unreadable } = await embedPaths(engine, io, paths, { frames: opts.frames });
        for (const path of paths) {
          const image = embedded.get(path);
          image?.embeddings.forEach((e, f) =>
            io.out(
              JSON.stringify({
                model,
                kind: 'image',
                input: path,
                frame: image.frameIndices[f],
                sha256: image.sha256,
                embedding: Array.from(e),
              }),
            ),
          );
        }
        reportInputProblems(io, entries, unreadable);
      });
    });
}
