import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { flattenCategories } from '@clipguard/policy';
import { withEngine, type EngineFlags } from '../engine-options';
import { EXIT_CODES_HELP } from '../errors';
import { checkLabelCategories, readLabels } from '../inputs/labels';
import { DEFAULT_CACHE_DIR, compilePolicy, policyLabel, readPolicy } from '../moderation';
import { helpEpilogue, integerIn, share, withModelOptions } from '../options';
import type { CliIo } from '../output';
import { ablatePrompts } from '../reports/ablation';
import { renderEvaluationHtml } from '../reports/eval-html';
import { evaluate, sha256Of } from '../evaluation/evaluation-run';
import { evalFairness } from '../fairness/eval-fairness';
import {
  addStrictOption,
  commandLine,
  embedRows,
  reportSkippedRows,
  strictByDefault,
} from '../evaluation/labelled-rows';
import { printEvaluation } from './print-evaluation';

interface EvalFlags extends EngineFlags {
  policy: string;
  labels: string;
  targetPrecision: number;
  targetRecall: number;
  minSamples: number;
  out?: string;
  ablate?: boolean;
  fairness?: boolean;
  cacheDir: string;
  resamples: number;
  strict?: boolean;
}

export function registerEval(policy: Command, io: CliIo): void {
  const cmd = policy
    .command('eval')
    .description(
      'metrics per category on labelled images, with advised review and block thresholds, and a self-contained HTML report',
    )
    .requiredOption('--policy <path>', 'policy file, or a policy directory (its newest version) (required)')
    .requiredOption('--labels <csv>', 'CSV with path,categories (";"-separated, empty = allowed) (required)');
  addStrictOption(withModelOptions(cmd))
    .option(
      '--target-precision <p>',
      'precision the advised block threshold must reach, in (0, 1]',
      share,
      0.9,
    )
    .option('--target-recall <r>', 'recall the advised review threshold must keep, in (0, 1]', share, 0.95)
    .option(
      '--min-samples <n>',
      'warn when a category has fewer labelled positives or negatives (1-1000000)',
      integerIn(1, 1_000_000),
      30,
    )
    .option('--out <dir>', 'write report.json and report.html here')
    .option('--ablate', 'measure each prompt by dropping it (change in average precision)')
    .option(
      '--fairness',
      "fairness figures on the labelled set, and the version's baseline v<N>.fairness.json",
    )
    .option(
      '--resamples <n>',
      'bootstrap resamples for the 95% intervals (100-100000)',
      integerIn(100, 100_000),
      1000,
    )
    .option('--cache-dir <dir>', 'compiled policy cache', DEFAULT_CACHE_DIR)
    .addHelpText(
      'after',
      helpEpilogue(
        [
          'clipguard policy eval --policy policies/default --labels labels.csv --out eval/',
          'clipguard policy eval --policy policies/default/v2.yaml --labels labels.csv --target-precision 0.95 --ablate --strict',
        ],
        EXIT_CODES_HELP,
      ),
    )
    .action(async (opts: EvalFlags) => {
      const labels = readLabels(opts.labels);
      const parsed = readPolicy(opts.policy);
      const ids = flattenCategories(parsed.policy.categories).map((c) => c.category.id);
      checkLabelCategories(opts.labels, labels, ids);
      const strict = strictByDefault(opts.strict);
      await withEngine(opts, async (engine) => {
        const { compiled } = await compilePolicy(engine, parsed, opts.cacheDir);
        io.err(`evaluating policy ${policyLabel(compiled)} from ${parsed.file} on ${engine.modelId}`);
        const run = await embedRows(engine, io, labels);
        reportSkippedRows(io, opts.labels, labels.length, run, strict);
        const { output, results } = evaluate(
          engine,
          compiled,
          run,
          {
            targetPrecision: opts.targetPrecision,
            targetRecall: opts.targetRecall,
            minSamples: opts.minSamples,
            resamples: opts.resamples,
          },
          {
            command: commandLine(io),
            labels: {
              file: resolve(opts.labels),
              sha256: sha256Of(opts.labels),
              rows: labels.length,
              evaluated: run.rows.length,
            },
            policyFile: resolve(parsed.file),
          },
        );
        const ablation = opts.ablate
          ? ablatePrompts(
              engine,
              compiled,
              results,
              new Map([...run.embedded].map(([p, e]) => [p, e.embeddings])),
            )
          : undefined;
        printEvaluation(io, output);
        await evalFairness(io, { ...opts, modelId: engine.modelId }, compiled, results);
        io.out(
          `\npolicy ${policyLabel(compiled)}: ${run.rows.length} of ${labels.length} labelled images evaluated`,
        );
        if (opts.out) {
          mkdirSync(opts.out, { recursive: true });
          writeFileSync(
            join(opts.out, 'report.json'),
            `${JSON.stringify({ ...output, ablation }, null, 2)}\n`,
          );
          writeFileSync(join(opts.out, 'report.html'), await renderEvaluationHtml(output, ablation));
          io.err(`wrote ${join(opts.out, 'report.json')} and ${join(opts.out, 'report.html')}`);
        }
      });
    });
}
