import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { embedLabels, isInputError, scoreLabels } from '@clipguard/clip';
import { withEngine, withModelOptions, type EngineFlags } from '../engine-options';
import { EXIT_ERROR, UsageError, describeError } from '../errors';
import { formatTable, progress, type CliIo } from '../output';

interface ClassifyFlags extends EngineFlags {
  labels: string;
  templates?: string;
  json?: boolean;
  top: number;
}

/** Templates file: one per line, "{}" marks the label; blank lines and "#" comments skipped. */
function readTemplates(file: string | undefined): string[] | undefined {
  if (!file) return undefined;
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (lines.length === 0) throw new UsageError(`${file} holds no templates`);
  return lines;
}

export function registerClassify(program: Command, io: CliIo): void {
  withModelOptions(program.command('classify'))
    .description('zero-shot classification of images against comma-separated labels')
    .argument('<images...>', 'image files')
    .requiredOption('--labels <labels>', 'comma-separated labels, e.g. "a cat,a dog"')
    .option('--templates <file>', 'prompt templates, one per line with {} for the label (ensembled)')
    .option('--top <n>', 'labels to show per image in the table', Number, 3)
    .option('--json', 'one JSON line per image with every label')
    .action(async (images: string[], opts: ClassifyFlags) => {
      const labels = opts.labels
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean);
      if (labels.length < 2) throw new UsageError('--labels needs at least two labels');
      const templates = readTemplates(opts.templates);
      await withEngine(opts, async (engine) => {
        const labelEmbeddings = await embedLabels(engine, labels, templates);
        const bar = progress(io, images.length, 'classifying');
        const rows: string[][] = [['image', 'label', 'probability', 'similarity']];
        let failures = 0;
        const results = await Promise.all(
          images.map(async (file) => {
            try {
              const { embeddings } = await engine.embedImage(readFileSync(file));
              return {
                file,
                scores: scoreLabels(embeddings[0], labels, labelEmbeddings, engine.info.logitScale),
              };
            } catch (err) {
              if (!isInputError(err) && !(err instanceof Error && 'code' in err && err.code === 'ENOENT'))
                throw err;
              return { file, error: describeError(err) };
            } finally {
              bar.tick();
            }
          }),
        );
        bar.stop();
        for (const r of results) {
          if ('error' in r) {
            failures++;
            io.err(`${r.file}: ${r.error}`);
            if (opts.json) io.out(JSON.stringify({ image: r.file, error: r.error }));
          } else if (opts.json) {
            io.out(JSON.stringify({ image: r.file, model: engine.modelId, labels: r.scores }));
          } else {
            r.scores
              .slice(0, opts.top)
              .forEach((s, i) =>
                rows.push([
                  i === 0 ? r.file : '',
                  s.label,
                  s.probability.toFixed(4),
                  s.similarity.toFixed(4),
                ]),
              );
          }
        }
        if (!opts.json) io.out(formatTable(rows));
        if (failures > 0) io.setExitCode(EXIT_ERROR);
      });
    });
}
