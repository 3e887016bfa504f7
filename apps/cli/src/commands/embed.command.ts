import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { collect, withEngine, withModelOptions, type EngineFlags } from '../engine-options';
import { UsageError } from '../errors';
import { progress, type CliIo } from '../output';

interface EmbedFlags extends EngineFlags {
  image: string[];
  text: string[];
  frames: number;
}

export function registerEmbed(program: Command, io: CliIo): void {
  withModelOptions(program.command('embed'))
    .description('L2-normalised CLIP embeddings as JSON lines: {"model", "input", "kind", "embedding"}')
    .option('--image <file>', 'image to embed (repeatable)', collect, [])
    .option('--text <text>', 'text to embed (repeatable)', collect, [])
    .option('--frames <n>', 'frames to sample from animated images', Number, 1)
    .action(async (opts: EmbedFlags) => {
      if (opts.image.length + opts.text.length === 0)
        throw new UsageError('give at least one --image or --text');
      await withEngine(opts, async (engine) => {
        const model = engine.modelId;
        const texts = await engine.embedTexts(opts.text);
        opts.text.forEach((t, i) =>
          io.out(JSON.stringify({ model, kind: 'text', input: t, embedding: Array.from(texts[i]) })),
        );
        const bar = progress(io, opts.image.length, 'embedding');
        const images = await Promise.all(
          opts.image.map(async (file) => {
            const result = await engine.embedImage(readFileSync(file), { frames: opts.frames });
            bar.tick();
            return result;
          }),
        );
        bar.stop();
        opts.image.forEach((file, i) =>
          images[i].embeddings.forEach((e, f) =>
            io.out(
              JSON.stringify({
                model,
                kind: 'image',
                input: file,
                frame: images[i].frameIndices[f],
                sha256: images[i].sha256,
                embedding: Array.from(e),
              }),
            ),
          ),
        );
      });
    });
}
