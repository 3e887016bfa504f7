import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { ClipEngine } from '@clipguard/clip';
import { decide } from '@clipguard/decision';
import {
  PolicyError,
  evaluatePolicy,
  flattenCategories,
  type CompiledPolicy,
  type LabelledResult,
} from '@clipguard/policy';
import { listPolicyFiles, readPolicyFile } from '@clipguard/storage';
import { withEngine, withModelOptions, type EngineFlags } from '../engine-options';
import { EXIT_ERROR, UsageError } from '../errors';
import { evalFairness } from '../fairness/eval-fairness';
import { readLabels } from '../labels';
import {
  DEFAULT_CACHE_DIR,
  collectImages,
  loadCompiledPolicy,
  mapConcurrent,
  scoreEmbeddings,
} from '../moderation';
import { formatTable, progress, type CliIo } from '../output';
import { ablatePrompts } from '../reports/ablation';
import { renderEvaluationHtml } from '../reports/eval-html';

interface EvalFlags extends EngineFlags {
  policy: string;
  labels: string;
  targetPrecision: number;
  out?: string;
  ablate?: boolean;
  fairness?: boolean;
  cacheDir: string;
  resamples: number;
}

interface DiffFlags extends EngineFlags {
  labels?: string;
  images?: string;
  cacheDir: string;
  json?: boolean;
}

/** Embeds every image once (the expensive part); failures are reported and skipped. */
async function embedAll(
  engine: ClipEngine,
  io: CliIo,
  paths: string[],
): Promise<Map<string, Float32Array[]>> {
  const bar = progress(io, paths.length, 'embedding');
  const out = new Map<string, Float32Array[]>();
  await mapConcurrent(paths, 8, async (path) => {
    try {
      out.set(path, (await engine.embedImage(readFileSync(path))).embeddings);
    } catch (err) {
      io.err(`${path}: skipped: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      bar.tick();
    }
  });
  bar.stop();
  return out;
}

export function registerPolicy(program: Command, io: CliIo): void {
  const policy = program.command('policy').description('validate, evaluate and compare policy versions');

  policy
    .command('validate')
    .description('check policy files (a file, or every v<N>.yaml under a directory)')
    .argument('<path>', 'policy file or directory')
    .action((path: string) => {
      const files = statSync(path).isDirectory() ? listPolicyFiles(path).map((f) => f.file) : [path];
      if (files.length === 0) throw new UsageError(`${path} holds no v<N>.yaml policy files`);
      for (const file of files) {
        try {
          const { policy: p, hash } = readPolicyFile(file);
          const count = flattenCategories(p.categories).length;
          io.out(
            `ok     ${file}  ${p.id} v${p.version}  ${count} categories  ${p.scoring.method}  sha256:${hash.slice(0, 12)}`,
          );
        } catch (err) {
          if (!(err instanceof PolicyError)) throw err;
          io.out(`error  ${err.message}`);
          io.setExitCode(EXIT_ERROR);
        }
      }
    });

  withModelOptions(policy.command('eval'))
    .description(
      'precision, recall, F1, ROC-AUC and AP per category on labelled images, with a threshold sweep',
    )
    .requiredOption('--policy <file>', 'policy file')
    .requiredOption('--labels <csv>', 'CSV with path,categories (";"-separated, empty = allowed)')
    .option('--target-precision <p>', 'precision the recommended thresholds must reach', Number, 0.9)
    .option('--out <dir>', 'write report.json and report.html here')
    .option('--ablate', 'measure each prompt by dropping it (change in average precision)')
    .option(
      '--fairness',
      "fairness figures on the labelled set, and the version's baseline v<N>.fairness.json",
    )
    .option('--resamples <n>', 'bootstrap resamples for the 95% intervals', Number, 1000)
    .option('--cache-dir <dir>', 'compiled policy cache', DEFAULT_CACHE_DIR)
    .action(async (opts: EvalFlags) => {
      const labels = readLabels(opts.labels);
      await withEngine(opts, async (engine) => {
        const { compiled } = await loadCompiledPolicy(engine, opts.policy, opts.cacheDir);
        const known = new Set(flattenCategories(compiled.policy.categories).map((c) => c.category.id));
        const unknown = [...new Set(labels.flatMap((l) => l.categories))].filter((c) => !known.has(c));
        if (unknown.length)
          throw new UsageError(`labels name categories the policy lacks: ${unknown.join(', ')}`);
        const embeddings = await embedAll(
          engine,
          io,
          labels.map((l) => l.path),
        );
        const results: LabelledResult[] = labels.flatMap((l) => {
          const frames = embeddings.get(l.path);
          if (!frames) return [];
          const scores = scoreEmbeddings(engine, compiled, frames);
          return [{ path: l.path, truth: l.categories, scores, verdict: decide(compiled, scores).verdict }];
        });
        const report = evaluatePolicy(compiled.policy, results, {
          targetPrecision: opts.targetPrecision,
          resamples: opts.resamples,
        });
        const ablation = opts.ablate ? ablatePrompts(engine, compiled, results, embeddings) : undefined;
        const full = {
          policy: { id: compiled.policy.id, version: compiled.policy.version, hash: compiled.hash },
          model: engine.modelId,
          ...report,
          ablation,
        };
        printEvaluation(io, full.categories, report);
        await evalFairness(io, { ...opts, modelId: engine.modelId }, compiled, results);
        if (opts.out) {
          mkdirSync(opts.out, { recursive: true });
          writeFileSync(join(opts.out, 'report.json'), `${JSON.stringify(full, null, 2)}\n`);
          const title = `Policy ${compiled.policy.id} v${compiled.policy.version} on ${engine.modelId}`;
          writeFileSync(join(opts.out, 'report.html'), renderEvaluationHtml(report, title, ablation));
          io.err(`wrote ${join(opts.out, 'report.json')} and report.html`);
        }
      });
    });

  withModelOptions(policy.command('diff'))
    .description('how verdicts and scores change between two policy versions, image by image and in total')
    .argument('<a>', 'policy file A (e.g. the live version)')
    .argument('<b>', 'policy file B (e.g. the draft)')
    .option('--labels <csv>', 'labelled images (adds whether each change fixes or breaks a verdict)')
    .option('--images <dir>', 'images to compare on')
    .option('--json', 'JSON instead of tables')
    .option('--cache-dir <dir>', 'compiled policy cache', DEFAULT_CACHE_DIR)
    .action(async (a: string, b: string, opts: DiffFlags) => {
      if (!opts.labels === !opts.images) throw new UsageError('give exactly one of --labels or --images');
      const labels = opts.labels
        ? readLabels(opts.labels)
        : collectImages([opts.images ?? '']).map((path) => ({ path, categories: [] as string[] }));
      await withEngine(opts, async (engine) => {
        const [pa, pb] = [
          (await loadCompiledPolicy(engine, a, opts.cacheDir)).compiled,
          (await loadCompiledPolicy(engine, b, opts.cacheDir)).compiled,
        ];
        const embeddings = await embedAll(
          engine,
          io,
          labels.map((l) => l.path),
        );
        const rows = labels.flatMap((l) => {
          const frames = embeddings.get(l.path);
          if (!frames) return [];
          const [da, db] = [pa, pb].map((p) => decide(p, scoreEmbeddings(engine, p, frames)));
          return [{ path: l.path, truth: opts.labels ? l.categories : undefined, a: da, b: db }];
        });
        printDiff(io, pa, pb, rows, opts.json ?? false);
      });
    });
}

type DiffRow = { path: string; truth?: string[]; a: ReturnType<typeof decide>; b: ReturnType<typeof decide> };

function printDiff(io: CliIo, pa: CompiledPolicy, pb: CompiledPolicy, rows: DiffRow[], json: boolean): void {
  const transitions: Record<string, number> = {};
  let fixed = 0;
  let broken = 0;
  for (const r of rows) {
    const k = `${r.a.verdict}→${r.b.verdict}`;
    transitions[k] = (transitions[k] ?? 0) + 1;
    if (r.truth) {
      const want = r.truth.length ? 'flag' : 'allow';
      const ok = (v: string) => (want === 'allow' ? v === 'allow' : v !== 'allow');
      if (!ok(r.a.verdict) && ok(r.b.verdict)) fixed++;
      if (ok(r.a.verdict) && !ok(r.b.verdict)) broken++;
    }
  }
  const changed = rows.filter((r) => r.a.verdict !== r.b.verdict);
  const name = (p: CompiledPolicy) => `${p.policy.id} v${p.policy.version}`;
  const maxDelta = (r: DiffRow) =>
    Math.max(
      0,
      ...Object.keys(r.b.categoryScores).map((c) =>
        Math.abs(r.b.categoryScores[c] - (r.a.categoryScores[c] ?? 0)),
      ),
    );
  if (json) {
    io.out(
      JSON.stringify({
        a: name(pa),
        b: name(pb),
        images: rows.length,
        changed: changed.length,
        transitions,
        ...(rows.some((r) => r.truth) ? { fixed, broken } : {}),
        rows: rows.map((r) => ({
          path: r.path,
          truth: r.truth,
          a: r.a.verdict,
          b: r.b.verdict,
          scoresA: r.a.categoryScores,
          scoresB: r.b.categoryScores,
          maxScoreChange: maxDelta(r),
        })),
      }),
    );
    return;
  }
  io.out(
    `${name(pa)} → ${name(pb)}: ${changed.length} of ${rows.length} verdicts change${rows.some((r) => r.truth) ? ` (${fixed} fixed, ${broken} broken)` : ''}`,
  );
  io.out(
    formatTable([
      ['transition', 'images'],
      ...Object.entries(transitions)
        .sort()
        .map(([k, v]) => [k, String(v)]),
    ]),
  );
  if (changed.length) {
    io.out('');
    io.out(
      formatTable([
        ['image', 'A', 'B', 'largest score change'],
        ...changed.map((r) => [r.path, r.a.verdict, r.b.verdict, maxDelta(r).toFixed(3)]),
      ]),
    );
  }
}

function printEvaluation(
  io: CliIo,
  categories: ReturnType<typeof evaluatePolicy>['categories'],
  report: ReturnType<typeof evaluatePolicy>,
): void {
  const f = (v: number) => (Number.isNaN(v) ? '–' : v.toFixed(3));
  io.out(
    formatTable([
      [
        'category',
        'positives',
        'precision',
        'recall',
        'F1',
        'ROC-AUC',
        'AP',
        `thr@P≥${report.targetPrecision}`,
      ],
      ...categories.map((c) => [
        c.id,
        String(c.positives),
        f(c.precision.value),
        f(c.recall.value),
        f(c.f1.value),
        f(c.rocAuc.value),
        f(c.averagePrecision.value),
        c.recommended ? c.recommended.threshold.toFixed(4) : '–',
      ]),
    ]),
  );
  const c = report.confusion;
  io.out(
    `\nverdicts: clean → allow ${c.clean.allow}, review ${c.clean.review}, block ${c.clean.block}; harmful → allow ${c.harmful.allow}, review ${c.harmful.review}, block ${c.harmful.block}`,
  );
}
