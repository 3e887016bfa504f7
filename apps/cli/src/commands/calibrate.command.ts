import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  calibrateThresholds,
  draftNextVersion,
  thresholdChanges,
  type Calibration,
  type CalibrationOptionsInput,
} from '@clipguard/audit';
import {
  FairnessRepository,
  ReplayRepository,
  collectPages,
  loadCompiledPolicy,
  replayStored,
} from '@clipguard/storage';
import { withEngine, type EngineFlags } from '../engine-options';
import { CliError, EXIT_CODES_HELP } from '../errors';
import {
  UsageError,
  policyVersionRef,
  windowOf,
  withStore,
  withStoreOptions,
  type StoreFlags,
  type WindowFlags,
} from '../fairness/cli-support';
import { printTransitions } from '../fairness/print-figures';
import { DEFAULT_CACHE_DIR } from '../moderation';
import { helpEpilogue, integerIn, share, withModelOptions } from '../options';
import { formatTable, type CliIo } from '../output';

interface CalibrateFlags extends StoreFlags, WindowFlags, EngineFlags {
  policy: string;
  fromReviews?: boolean;
  targetPrecision?: number;
  targetRecall?: number;
  threshold: 'review' | 'block';
  minLabels?: number;
  minPositives?: number;
  out?: string;
  force?: boolean;
  cacheDir: string;
}

function target(opts: CalibrateFlags): CalibrationOptionsInput['target'] {
  if ((opts.targetPrecision === undefined) === (opts.targetRecall === undefined))
    throw new UsageError('give exactly one of --target-precision or --target-recall');
  return opts.targetPrecision !== undefined
    ? { precision: opts.targetPrecision }
    : { recall: opts.targetRecall ?? 1 };
}

function printCalibration(io: CliIo, c: Calibration): void {
  io.out(`calibrating ${c.policy.id} v${c.policy.version} on ${c.labelled} moderator labels`);
  io.out(
    formatTable([
      [
        'category',
        'threshold',
        'labels',
        'with it',
        'current',
        'proposed',
        '95% interval',
        'precision',
        'recall',
      ],
      ...c.categories.map((k) =>
        k.status === 'calibrated'
          ? [
              k.category,
              k.threshold,
              String(k.labels),
              String(k.positives),
              String(k.current),
              String(k.proposed),
              `${k.interval.low.toFixed(4)}–${k.interval.high.toFixed(4)}`,
              k.precision.toFixed(3),
              k.recall.toFixed(3),
            ]
          : [
              k.category,
              k.threshold,
              String(k.labels),
              String(k.positives),
              String(k.current),
              'refused',
              k.message,
              '',
              '',
            ],
      ),
    ]),
  );
}

export function registerCalibrate(program: Command, io: CliIo): void {
  const policy = program.commands.find((c) => c.name() === 'policy') ?? program.command('policy');

  withModelOptions(withStoreOptions(policy.command('calibrate')))
    .description(
      'per-category thresholds from moderator labels for a target precision or recall; writes the draft v<N+1>.yaml ' +
        '(only thresholds change, each with its evidence) and shows what it would have done to the stored decisions',
    )
    .requiredOption('--policy <ID@vN>', 'the version whose decisions moderators labelled')
    .option('--from-reviews', 'calibrate on the labels of resolved reviews and QA samples (the only source)')
    .option('--target-precision <p>', 'the threshold with the most recall whose precision reaches p', share)
    .option('--target-recall <r>', 'highest threshold whose recall reaches r', share)
    .option('--threshold <which>', 'calibrate the review or the block thresholds', 'review')
    .option('--min-labels <n>', 'fewer labels for a category: refused (default 30)', integerIn(1, 1_000_000))
    .option(
      '--min-positives <n>',
      'fewer labels with the category: refused (default 10)',
      integerIn(1, 1_000_000),
    )
    .option('--out <file>', 'where to write the draft (default: v<N+1>.draft.yaml beside v<N>.yaml)')
    .option('--force', 'overwrite an existing draft')
    .option('--cache-dir <dir>', 'compiled policy cache', DEFAULT_CACHE_DIR)
    .addHelpText(
      'after',
      helpEpilogue(
        [
          'clipguard policy calibrate --policy default@v1 --from-reviews --since 30d --target-precision 0.9',
          'clipguard policy calibrate --policy default@v1 --from-reviews --target-recall 0.95 --threshold review --out v2.yaml',
        ],
        EXIT_CODES_HELP,
      ),
    )
    .action((opts: CalibrateFlags) =>
      withStore(opts, async ({ db, versions, maxDecisions }) => {
        if (!opts.fromReviews)
          throw new UsageError('calibration reads moderator labels: pass --from-reviews');
        if (opts.threshold !== 'review' && opts.threshold !== 'block')
          throw new CliError(
            'OPTION_INVALID',
            `--threshold ${String(opts.threshold)}: expected review or block`,
          );
        const ref = policyVersionRef(opts.policy);
        const parsed = versions.get(ref.id, ref.version);
        const window = windowOf(opts);
        const labelled = await collectPages(
          new FairnessRepository(db).decisions({ ...window, policy: ref }, { labelledOnly: true }),
          maxDecisions,
        );
        const calibration = calibrateThresholds(parsed.policy, labelled, {
          target: target(opts),
          threshold: opts.threshold,
          ...(opts.minLabels ? { minLabels: opts.minLabels } : {}),
          ...(opts.minPositives ? { minPositives: opts.minPositives } : {}),
        });
        printCalibration(io, calibration);
        if (!calibration.categories.some((c) => c.status === 'calibrated'))
          throw new CliError(
            'LABELS_TOO_FEW',
            `too few moderator labels to calibrate any category of ${ref.id} v${ref.version}`,
            'widen --since/--until or --tenant, or resolve more reviews and QA samples with category labels',
          );
        const changes = thresholdChanges(calibration);
        if (changes.length === 0) {
          io.out('every calibrated threshold equals the current one: no draft written');
          return;
        }
        const out =
          opts.out ??
          versions.fileOf(ref.id, ref.version).replace(/v\d+\.yaml$/, `v${ref.version + 1}.draft.yaml`);
        if (existsSync(out) && !opts.force)
          throw new CliError(
            'OUTPUT_EXISTS',
            `${out} exists`,
            'pass --force to replace it, or --out another file',
          );
        writeFileSync(out, draftNextVersion(readFileSync(parsed.file, 'utf8'), parsed.file, changes));
        io.out(`wrote ${out}: ${changes.length} threshold${changes.length === 1 ? '' : 's'} changed`);
        await withEngine(opts, async (engine) => {
          const { compiled } = await loadCompiledPolicy(engine, out, opts.cacheDir);
          const run = await replayStored(
            new ReplayRepository(db),
            { ...window, policyId: ref.id, policyVersion: ref.version, modelId: engine.modelId },
            { compiled, logitScale: engine.info.logitScale },
            maxDecisions,
          );
          io.out(
            `\nwhat the draft would have done to v${ref.version}'s stored decisions (replayed from their embeddings):`,
          );
          printTransitions(io, run);
        });
      }),
    );
}
