import { Option, type Command } from 'commander';
import { decide } from '@clipguard/decision';
import { formatPolicyChange, policyChanges, type CompiledPolicy } from '@clipguard/policy';
import { withEngine, type EngineFlags } from '../engine-options';
import { EXIT_CODES_HELP, UsageError } from '../errors';
import { discoverInputs, requireInput } from '../inputs/discover';
import { reportInputProblems } from '../inputs/embed-images';
import { readLabels, type LabelRow } from '../inputs/labels';
import { DEFAULT_CACHE_DIR, compilePolicy, policyLabel, readPolicy, scoreEmbeddings } from '../moderation';
import { helpEpilogue, withModelOptions } from '../options';
import { formatTable, type CliIo } from '../output';
import {
  changeReasons,
  sameVersionWarning,
  summarize,
  type DiffRow,
  type DiffSummary,
} from './policy-diff-report';
import { addStrictOption, embedRows, reportSkippedRows, strictByDefault } from '../evaluation/labelled-rows';

interface DiffFlags extends EngineFlags {
  labels?: string;
  images?: string;
  cacheDir: string;
  json?: boolean;
  strict?: boolean;
}

/** The images to compare on: labelled rows, or every image found under --images (as unlabelled rows). */
function rowsToCompare(io: CliIo, opts: DiffFlags): LabelRow[] {
  if (opts.labels) return readLabels(opts.labels);
  const dir = opts.images ?? '';
  const entries = discoverInputs([dir]);
  requireInput([dir], entries);
  reportInputProblems(io, entries, []);
  return entries.flatMap((e) => (e.kind === 'image' ? [{ path: e.path, categories: [], line: 0 }] : []));
}

const pctOf = (n: number, of: number) => `${n} (${of ? Math.round((100 * n) / of) : 0}%)`;

function printText(io: CliIo, pa: CompiledPolicy, pb: CompiledPolicy, rows: DiffRow[], s: DiffSummary): void {
  const changes = policyChanges(pa.policy, pb.policy);
  io.out(`${policyLabel(pa)} → ${policyLabel(pb)}`);
  io.out(
    changes.length
      ? `policy changes:\n${changes.map((c) => `  ${formatPolicyChange(c)}`).join('\n')}`
      : 'policy changes: none',
  );
  const fixes = s.fixed === undefined ? '' : ` (${s.fixed} fixed, ${s.broken} broken, by the labels)`;
  io.out(`\n${s.changed} of ${s.images} verdicts change${fixes}; ${s.unchanged} unchanged`);
  io.out(
    `review queue ${pctOf(s.volumes.a.reviewQueue, s.images)} → ${pctOf(s.volumes.b.reviewQueue, s.images)}; auto-block ${pctOf(s.volumes.a.autoBlock, s.images)} → ${pctOf(s.volumes.b.autoBlock, s.images)}`,
  );
  const transitions = Object.entries(s.transitions).sort();
  if (transitions.length === 0) return;
  io.out(`\n${formatTable([['transition', 'images'], ...transitions.map(([k, v]) => [k, String(v)])])}`);
  const changed = rows.filter((r) => r.a.verdict !== r.b.verdict);
  io.out(
    `\n${formatTable([
      ['image', 'verdict', 'why', ...(s.fixed === undefined ? [] : ['labelled'])],
      ...changed.map((r) => [
        r.path,
        `${r.a.verdict} → ${r.b.verdict}`,
        changeReasons(r, pa, pb).join('; '),
        ...(r.truth ? [r.truth.join(';') || 'clean'] : []),
      ]),
    ])}`,
  );
}

export function registerDiff(policy: Command, io: CliIo): void {
  const cmd = withModelOptions(policy.command('diff'));
  addStrictOption(cmd)
    .description(
      'what changes between two policy versions: the edits, each changed verdict and why, and the review and block volumes',
    )
    .argument('<a>', 'policy file or directory A (e.g. the live version)')
    .argument('<b>', 'policy file or directory B (e.g. the draft)')
    .addOption(
      new Option(
        '--labels <csv>',
        'labelled images to compare on (adds whether each change fixes or breaks a verdict); or --images',
      ).conflicts('images'),
    )
    .addOption(
      new Option('--images <dir>', 'unlabelled images to compare on; or --labels').conflicts('labels'),
    )
    .option('--json', 'JSON instead of tables')
    .option('--cache-dir <dir>', 'compiled policy cache', DEFAULT_CACHE_DIR)
    .addHelpText(
      'after',
      helpEpilogue(
        [
          'clipguard policy diff policies/default/v1.yaml policies/default/v2.yaml --labels labels.csv',
          'clipguard policy diff policies/default/v1.yaml policies/default/v2.yaml --images uploads/ --json',
        ],
        `One of --labels or --images is required, not both.\n\n${EXIT_CODES_HELP}`,
      ),
    )
    .action(async (a: string, b: string, opts: DiffFlags) => {
      if (!opts.labels && !opts.images) {
        throw new UsageError(
          'policy diff needs images to compare on',
          'add --labels labels.csv or --images DIR',
        );
      }
      const [parsedA, parsedB] = [readPolicy(a), readPolicy(b)];
      const labels = rowsToCompare(io, opts);
      await withEngine(opts, async (engine) => {
        const pa = (await compilePolicy(engine, parsedA, opts.cacheDir)).compiled;
        const pb = (await compilePolicy(engine, parsedB, opts.cacheDir)).compiled;
        io.err(
          `comparing ${policyLabel(pa)} from ${parsedA.file} with ${policyLabel(pb)} from ${parsedB.file} on ${engine.modelId}`,
        );
        const warning = sameVersionWarning(pa, pb);
        if (warning) io.err(`warning: ${warning}`);
        const run = await embedRows(engine, io, labels);
        reportSkippedRows(
          io,
          opts.labels ?? opts.images ?? '',
          labels.length,
          run,
          strictByDefault(opts.strict),
          'compared',
        );
        const rows: DiffRow[] = run.rows.map((l) => {
          const frames = run.embedded.get(l.path)?.embeddings ?? [];
          const [da, db] = [pa, pb].map((p) => decide(p, scoreEmbeddings(engine, p, frames)));
          return { path: l.path, truth: opts.labels ? l.categories : undefined, a: da, b: db };
        });
        const summary = summarize(rows);
        if (!opts.json) return printText(io, pa, pb, rows, summary);
        const side = (p: CompiledPolicy) => ({ id: p.policy.id, version: p.policy.version, hash: p.hash });
        io.out(
          JSON.stringify({
            a: side(pa),
            b: side(pb),
            warning,
            policyChanges: policyChanges(pa.policy, pb.policy),
            ...summary,
            rows: rows.map((r) => ({
              path: r.path,
              truth: r.truth,
              a: r.a.verdict,
              b: r.b.verdict,
              reasons: r.a.verdict === r.b.verdict ? [] : changeReasons(r, pa, pb),
              scoresA: r.a.categoryScores,
              scoresB: r.b.categoryScores,
            })),
          }),
        );
      });
    });
}
