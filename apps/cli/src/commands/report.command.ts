import type { Command } from 'commander';
import { FairnessRepository, fairnessOf } from '@clipguard/storage';
import { EXIT_CODES_HELP } from '../errors';
import {
  EXIT_FLAGGED,
  policyRef,
  resolvePolicy,
  windowOf,
  withStore,
  withStoreOptions,
  type StoreFlags,
  type WindowFlags,
} from '../fairness/cli-support';
import { printFigures } from '../fairness/print-figures';
import { writeFairnessReport } from '../fairness/write-report';
import { helpEpilogue, integerIn } from '../options';
import type { CliIo } from '../output';

interface ReportFlags extends StoreFlags, WindowFlags {
  policy: string;
  out?: string;
  minGroupSize?: number;
}

export function registerReport(program: Command, io: CliIo): void {
  const report = program.command('report').description('reports on the stored decisions');

  withStoreOptions(report.command('fairness'))
    .description(
      'fairness figures of one policy version per attribute probe and group: rates with intervals, ' +
        'four-fifths ratios, error rates from moderator labels, alerts; exit 1 when something alerts',
    )
    .requiredOption(
      '--policy <ID[@vN]>',
      'policy and version (ID alone: the tenant’s live version, else the newest)',
    )
    .option('--out <dir>', 'write fairness.html (with charts), fairness.json and fairness.csv here')
    .option(
      '--min-group-size <n>',
      'smaller groups are "too few" (default: $CLIPGUARD_FAIRNESS_MIN_GROUP_SIZE or 30)',
      integerIn(1, 1_000_000),
    )
    .addHelpText(
      'after',
      helpEpilogue(
        [
          'clipguard report fairness --policy default@v1 --tenant acme --since 7d --out fairness/',
          'clipguard report fairness --policy default --tenant acme --since 2026-03-01 --until 2026-04-01',
        ],
        `${EXIT_CODES_HELP}\n\nHere 1 means: at least one alert (a disparity whose interval excludes parity).`,
      ),
    )
    .action((opts: ReportFlags) =>
      withStore(opts, async ({ env, db, versions, maxDecisions }) => {
        const window = windowOf(opts);
        const parsed = resolvePolicy(env, versions, policyRef(opts.policy), window.tenant);
        const { figures } = await fairnessOf(new FairnessRepository(db), parsed.policy, window, {
          minGroupSize: opts.minGroupSize ?? env.CLIPGUARD_FAIRNESS_MIN_GROUP_SIZE,
          maxDecisions,
        });
        const scope = `${parsed.policy.id} v${parsed.policy.version}${window.tenant ? `, tenant ${window.tenant}` : ''}`;
        printFigures(io, figures, scope);
        if (opts.out) {
          const meta = {
            ...(window.tenant ? { tenant: window.tenant } : {}),
            ...(window.since || window.until
              ? { window: { since: window.since ?? new Date(0), until: window.until ?? new Date() } }
              : {}),
            generatedAt: new Date(),
          };
          const files = await writeFairnessReport(opts.out, figures, meta);
          io.err(`wrote ${files.join(', ')}`);
        }
        if (figures.alerts.length) io.setExitCode(EXIT_FLAGGED);
      }),
    );
}
