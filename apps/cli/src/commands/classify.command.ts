import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { embedLabels, scoreLabels } from '@clipguard/clip';
import { withEngine, type EngineFlags } from '../engine-options';
import { EXIT_CODES_HELP, UsageError } from '../errors';
import { discoverInputs, imagePaths, requireInput } from '../inputs/discover';
import { embedPaths, reportInputProblems } from '../inputs/embed-images';
import { collect, helpEpilogue, integerIn, withModelOptions } from '../options';
import { formatTable, type CliIo } from '../output';

interface ClassifyFlags extends EngineFlags {
  label: string[];
  labels?: string;
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
  if (lines.length === 0)
    throw new UsageError(`${file} holds no templates`, 'one template per line, with {} for the label');
  return lines;
}

/** --label (repeatable, may contain commas) and --labels (comma-separated shorthand), in that order. */
function labelsOf(opts: ClassifyFlags): string[] {
  const fromList = (opts.labels ?? '').split(',').map((l) => l.trim());
  const labels = [...opts.label.map((l) => l.trim()), ...fromList].filter(Boolean);
  if (labels.length < 2) {
    throw new UsageError(
      `classify needs at least two labels, got ${labels.length}`,
      'add --label "a cat" --label "a dog" (or --labels "a cat,a dog")',
    );
  }
  return labels;
}

export function registerClassify(program: Command, io: CliIo): void {
  withModelOptions(program.command('classify'))
    .description("zero-shot classification of images against labels (softmax at the model's logit scale)")
    .argument('<images...>', 'image files or directories')
    .option(
      '--label <label>',
      'a label, may contain commas (repeatable; two or more labels required)',
      collect,
      [],
    )
    .option('--labels <labels>', 'comma-separated labels, e.g. "a cat,a dog"')
    .option('--templates <file>', 'prompt templates, one per line with {} for the label (ensembled)')
    .option('--top <n>', 'labels shown per image in the table (1-1000)', integerIn(1, 1000), 3)
    .option('--json', 'one JSON line per image with every label')
    .addHelpText(
      'after',
      helpEpilogue(
        [
          'clipguard classify horse.png --labels "a horse,a cat,a car"',
          'clipguard classify photos/ --label "a dog, sitting" --label "a dog, running" --json',
        ],
        EXIT_CODES_HELP,
      ),
    )
    .action(async (images: string[], opts: ClassifyFlags) => {
      const labels = labelsOf(opts);
      const templates = readTemplates(opts.templates);
      const entries = discoverInputs(images);
      requireInput(images, entries);
      await withEngine(opts, async (engine) => {
        const labelEmbeddings = await embedLabels(engine, labels, templates);
        const { embedded, unreadable } = await embedPaths(engine, io, imagePaths(entries), {
          label: 'classifying',
        });
        const rows: string[][] = [['image', 'label', 'probability', 'similarity']];
        for (const path of imagePaths(entries)) {
          const image = embedded.get(path);
          if (!image) continue;
          const scores = scoreLabels(image.embeddings[0], labels, labelEmbeddings, engine.info.logitScale);
          if (opts.json) io.out(JSON.stringify({ image: path, model: engine.modelId, labels: scores }));
          scores
            .slice(0, opts.top)
            .forEach((s, i) =>
              rows.push([i === 0 ? path : '', s.label, s.probability.toFixed(4), s.similarity.toFixed(4)]),
            );
        }
        if (!opts.json) io.out(formatTable(rows));
        reportInputProblems(io, entries, unreadable);
      });
    });
}
