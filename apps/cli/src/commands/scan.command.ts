import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { hardenSharp, isInputError } from '@clipguard/clip';
import type { Decision } from '@clipguard/decision';
import { withEngine, withModelOptions, type EngineFlags } from '../engine-options';
import { EXIT_ERROR, EXIT_FLAGGED, EXIT_OK, describeError } from '../errors';
import {
  DEFAULT_CACHE_DIR,
  DEFAULT_POLICY,
  collectImages,
  decideEmbeddings,
  loadCompiledPolicy,
  mapConcurrent,
} from '../moderation';
import { formatTable, progress, type CliIo } from '../output';

interface ScanFlags extends EngineFlags {
  policy: string;
  frames: number;
  json?: boolean;
  concurrency?: number;
  cacheDir: string;
}

type Outcome =
  { file: string; decision: Decision; ms: number } | { file: string; error: string; code: string };

function errorCode(err: unknown): string {
  return err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : 'ERROR';
}

export function registerScan(program: Command, io: CliIo): void {
  withModelOptions(program.command('scan'))
    .description(
      'moderate local files in-process (no Redis or database); exit 0 all allowed, 1 flagged, 2 errors',
    )
    .argument('<paths...>', 'image files or directories (searched recursively)')
    .option('--policy <path>', 'policy file, or a policy directory (its newest version)', DEFAULT_POLICY)
    .option(
      '--frames <n>',
      'frames sampled from animated images (the max score over frames decides)',
      Number,
      1,
    )
    .option(
      '--concurrency <n>',
      'images in flight (decoding or waiting for the encoder); default: enough to fill every vision session',
      Number,
    )
    .option('--cache-dir <dir>', 'compiled policy cache', DEFAULT_CACHE_DIR)
    .option('--json', 'one JSON line per file')
    .action(async (paths: string[], opts: ScanFlags) => {
      hardenSharp();
      const files = collectImages(paths);
      await withEngine(opts, async (engine) => {
        const {
          compiled,
          cached,
          file: policyFile,
        } = await loadCompiledPolicy(engine, opts.policy, opts.cacheDir);
        io.err(
          `policy ${compiled.policy.id} v${compiled.policy.version} (sha256:${compiled.hash.slice(0, 12)}), ${compiled.prompts.length} ${cached ? 'compiled prompts from cache' : 'prompts compiled'}`,
        );
        const tuned = compiled.policy.model.name;
        if (tuned !== engine.info.name) {
          io.err(
            `warning: ${policyFile} was tuned for ${tuned}, running on ${engine.info.name}: thresholds may not fit`,
          );
        }
        const bar = progress(io, files.length, 'scanning');
        const json = opts.json ?? false;
        // JSON lines stream out in input order as soon as every earlier file is done.
        const done = new Array<Outcome | undefined>(files.length);
        let written = 0;
        const emit = (i: number, outcome: Outcome) => {
          done[i] = outcome;
          if (!json) return;
          for (let next = done[written]; next; next = done[written]) {
            io.out(jsonLine(next));
            written++;
          }
        };
        // Two full batches per vision session in flight keep every session busy while the next images decode.
        const { maxBatch, visionSessions } = engine.options;
        const lanes = opts.concurrency ?? 2 * maxBatch * visionSessions;
        const outcomes = await mapConcurrent(files, Math.max(1, lanes), async (file, i): Promise<Outcome> => {
          const started = performance.now();
          let outcome: Outcome;
          try {
            const { embeddings } = await engine.embedImage(await readFile(file), { frames: opts.frames });
            outcome = {
              file,
              decision: decideEmbeddings(engine, compiled, embeddings),
              ms: performance.now() - started,
            };
          } catch (err) {
            const code = errorCode(err);
            if (!isInputError(err) && !['ENOENT', 'EISDIR', 'EACCES'].includes(code)) throw err;
            outcome = { file, error: describeError(err), code };
          }
          bar.tick();
          emit(i, outcome);
          return outcome;
        });
        bar.stop();
        if (!json) report(io, outcomes);
        const errors = outcomes.filter((o) => 'error' in o).length;
        const flagged = outcomes.filter((o) => 'decision' in o && o.decision.verdict !== 'allow').length;
        io.err(
          `${files.length} files: ${flagged} flagged, ${errors} errors (policy ${compiled.policy.id} v${compiled.policy.version})`,
        );
        io.setExitCode(errors > 0 ? EXIT_ERROR : flagged > 0 ? EXIT_FLAGGED : EXIT_OK);
      });
    });
}

const jsonLine = (o: Outcome) =>
  JSON.stringify('decision' in o ? { file: o.file, ...o.decision, ms: Math.round(o.ms) } : o);

function report(io: CliIo, outcomes: Outcome[]): void {
  const rows = [['file', 'verdict', 'safety', 'reasons']];
  for (const o of outcomes) {
    if ('error' in o) {
      rows.push([o.file, 'error', '', o.error]);
      continue;
    }
    const reasons = o.decision.reasons.map(
      (r) => `${r.category} ${r.score.toFixed(2)}≥${r.thresholdValue} (${r.threshold})`,
    );
    rows.push([o.file, o.decision.verdict, o.decision.safetyScore.toFixed(2), reasons.join(', ')]);
  }
  io.out(formatTable(rows));
}
