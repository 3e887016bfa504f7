import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { hardenSharp, isInputError } from '@clipguard/clip';
import { withEngine, type EngineFlags } from '../engine-options';
import { EXIT_CODES_HELP, errorCode, fileErrorReason } from '../errors';
import { discoverInputs, requireInput, type InputEntry } from '../inputs/discover';
import {
  DEFAULT_CACHE_DIR,
  DEFAULT_POLICY,
  compilePolicy,
  decideEmbeddings,
  mapConcurrent,
  policyLabel,
  readPolicy,
} from '../moderation';
import { frames, helpEpilogue, integerIn, withModelOptions } from '../options';
import type { CliIo } from '../output';
import { progress } from '../progress';
import { countOutcomes, jsonLine, scanExitCode, summaryLine, table, type Outcome } from './scan-report';

interface ScanFlags extends EngineFlags {
  policy: string;
  frames: number;
  json?: boolean;
  concurrency?: number;
  cacheDir: string;
}

/** File-system failures that belong to one input, not to the run. */
const FILE_ERRORS = new Set(['ENOENT', 'EISDIR', 'EACCES', 'EPERM']);

export function registerScan(program: Command, io: CliIo): void {
  withModelOptions(program.command('scan'))
    .description(
      'moderate image files and directories in-process (no Redis or database); every file found is reported as scanned, skipped or unreadable',
    )
    .argument(
      '<paths...>',
      'image files or directories (searched recursively; images recognised by their bytes)',
    )
    .option('--policy <path>', 'policy file, or a policy directory (its newest version)', DEFAULT_POLICY)
    .option(
      '--frames <n>',
      'frames sampled from animated images, 1 to $CLIPGUARD_MAX_FRAMES; the max score over frames decides',
      frames,
      1,
    )
    .option(
      '--concurrency <n>',
      'images in flight (decoding or waiting for the encoder), 1-4096; default: two batches per vision session',
      integerIn(1, 4096),
    )
    .option('--cache-dir <dir>', 'compiled policy cache', DEFAULT_CACHE_DIR)
    .option('--json', 'one JSON line per file found (decisions, skips and errors alike)')
    .addHelpText(
      'after',
      helpEpilogue(
        [
          'clipguard scan uploads/ --policy policies/default',
          'clipguard scan a.png b.gif --frames 8 --json > decisions.jsonl',
        ],
        EXIT_CODES_HELP,
      ),
    )
    .action(async (paths: string[], opts: ScanFlags) => {
      hardenSharp();
      const entries = discoverInputs(paths);
      requireInput(paths, entries);
      const parsed = readPolicy(opts.policy);
      await withEngine(opts, async (engine) => {
        const { compiled, cached } = await compilePolicy(engine, parsed, opts.cacheDir);
        io.err(
          `policy ${policyLabel(compiled)} from ${parsed.file}, ${compiled.prompts.length} ${cached ? 'compiled prompts from cache' : 'prompts compiled'}`,
        );
        const tuned = compiled.policy.model.name;
        if (tuned !== engine.info.name) {
          io.err(
            `warning: ${parsed.file} was tuned for ${tuned}, running on ${engine.info.name}: thresholds may not fit`,
          );
        }
        const images = entries.filter((e) => e.kind === 'image').length;
        const bar = progress(io, images, 'scanning');
        const json = opts.json ?? false;
        // JSON lines stream out in input order as soon as every earlier file is done.
        const done = new Array<Outcome | undefined>(entries.length);
        let written = 0;
        const settle = (i: number, outcome: Outcome) => {
          done[i] = outcome;
          if (!json) return;
          for (let next = done[written]; next; next = done[written]) {
            io.out(jsonLine(next));
            written++;
          }
        };
        const { maxBatch, visionSessions } = engine.options;
        const lanes = opts.concurrency ?? 2 * maxBatch * visionSessions;
        const scanOne = async (entry: InputEntry): Promise<Outcome> => {
          if (entry.kind === 'skipped') return { file: entry.path, skipped: entry.reason };
          if (entry.kind === 'unreadable') return { file: entry.path, error: entry.reason, code: entry.code };
          const started = performance.now();
          try {
            const { embeddings } = await engine.embedImage(await readFile(entry.path), {
              frames: opts.frames,
            });
            const decision = decideEmbeddings(engine, compiled, embeddings);
            return { file: entry.path, decision, ms: performance.now() - started };
          } catch (err) {
            const code = errorCode(err);
            if (!isInputError(err) && !FILE_ERRORS.has(code)) throw err;
            return { file: entry.path, error: fileErrorReason(err), code };
          } finally {
            bar.tick();
          }
        };
        const outcomes = await mapConcurrent(entries, Math.max(1, lanes), async (entry, i) => {
          const outcome = await scanOne(entry);
          settle(i, outcome);
          return outcome;
        });
        bar.stop();
        if (!json) io.out(table(outcomes));
        const counts = countOutcomes(outcomes);
        io.err(summaryLine(counts, policyLabel(compiled)));
        io.setExitCode(scanExitCode(counts));
      });
    });
}
