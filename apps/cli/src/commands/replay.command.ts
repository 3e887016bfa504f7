import type { Command } from 'commander';
import { computeFairness, subjectOf, summarizeFairness } from '@clipguard/audit';
import { ReplayRepository, loadCompiledPolicy, replayStored } from '@clipguard/storage';
import { withEngine, type EngineFlags } from '../engine-options';
import { EXIT_CODES_HELP } from '../errors';
import {
  policyVersionRef,
  windowOf,
  withStore,
  withStoreOptions,
  type StoreFlags,
  type WindowFlags,
} from '../fairness/cli-support';
import { printFigures, printTransitions } from '../fairness/print-figures';
import { writeFairnessReport } from '../fairness/write-report';
import { DEFAULT_CACHE_DIR } from '../moderation';
import { helpEpilogue, integerIn, withModelOptions } from '../options';
import type { CliIo } from '../output';

interface ReplayFlags extends StoreFlags, WindowFlags, EngineFlags {
  policy: string;
  json?: boolean;
  out?: string;
  minGroupSize?: number;
  cacheDir: string;
}

export function registerReplay(program: Command, io: CliIo): void {
  const policy = program.commands.find((c) => c.name() === 'policy') ?? program.command('policy');

  withModelOptions(withStoreOptions(policy.command('replay')))
    .description(
      "re-decide stored submissions with another version from their stored image embeddings (only the version's " +
        'prompts are encoded): verdict transitions, fixed/broken against moderator labels, fairness of the result',
    )
    .requiredOption(
      '--policy <ID@vM>',
      'the version to replay; stored live decisions of policy ID are compared',
    )
    .option('--json', 'one JSON document instead of tables')
    .option('--out <dir>', 'write the fairness report of the replayed decisions here')
    .option(
      '--min-group-size <n>',
      'smaller groups are "too few" (default: $CLIPGUARD_FAIRNESS_MIN_GROUP_SIZE)',
      integerIn(1, 1_000_000),
    )
    .option('--cache-dir <dir>', 'compiled policy cache', DEFAULT_CACHE_DIR)
    .addHelpText(
      'after',
      helpEpilogue(
        [
          'clipguard policy replay --policy default@v2 --tenant acme --since 7d',
          'clipguard policy replay --policy default@v2 --json --out replay/',
        ],
        EXIT_CODES_HELP,
      ),
    )
    .action((opts: ReplayFlags) =>
      withStore(opts, async ({ env, db, versions, maxDecisions }) => {
        const ref = policyVersionRef(opts.policy);
        const file = versions.get(ref.id, ref.version).file;
        const window = windowOf(opts);
        await withEngine(opts, async (engine) => {
          const { compiled } = await loadCompiledPolicy(engine, file, opts.cacheDir);
          const repo = new ReplayRepository(db);
          const w = { ...window, policyId: ref.id, modelId: engine.modelId };
          const coverage = await repo.coverage(w);
          const run = await replayStored(
            repo,
            w,
            { compiled, logitScale: engine.info.logitScale },
            maxDecisions,
          );
          const figures = computeFairness(run.replayed, subjectOf(compiled.policy), {
            minGroupSize: opts.minGroupSize ?? env.CLIPGUARD_FAIRNESS_MIN_GROUP_SIZE,
          });
          const rate = run.decisions / Math.max(run.seconds, 1e-9);
          if (opts.json) {
            const tally = { ...run, replayed: undefined };
            io.out(JSON.stringify({ coverage, ...tally, rate, fairness: summarizeFairness(figures) }));
          } else {
            io.out(
              `replaying ${ref.id} v${ref.version} on ${run.decisions} stored decisions of ${coverage.decisions} ` +
                `(${coverage.otherModel} made with another model, ${coverage.withoutEmbedding} without a stored embedding)`,
            );
            printTransitions(io, run);
            io.out('');
            printFigures(io, figures, `fairness of the replayed decisions`);
          }
          io.err(`${run.decisions} decisions in ${run.seconds.toFixed(2)} s (${Math.round(rate)}/s)`);
          if (opts.out) {
            const meta = {
              title: `Replay: ${ref.id} v${ref.version} on stored decisions`,
              generatedAt: new Date(),
            };
            io.err(`wrote ${(await writeFairnessReport(opts.out, figures, meta)).join(', ')}`);
          }
        });
      }),
    );
}
