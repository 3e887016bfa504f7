import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import type { ModelVariant } from '@clipguard/config';
import { alternate, type PairedRun } from '../paired';
import { median } from '../stats';
import { engineLayout, layoutEnv, type EngineLayout, type LimitPoint, type LimitRunner } from './limit';

export interface ScanResult {
  variant: ModelVariant;
  config: EngineLayout & { images: number; windows: number; command: string };
  /** Median of the windows' steady rates. */
  imagesPerSecond: number;
  /** Wall time of the first window's process, model loading and policy compilation included. */
  wallSeconds: number;
  verdicts: Record<string, number>;
  errors: number;
  paired: PairedRun;
}

export interface ScanRun {
  imagesPerSecond: number;
  wallSeconds: number;
  /** Verdict (or error code) by file path. */
  verdictOf: Map<string, string>;
}

/**
 * One `clipguard scan` process on `files`, as a user runs it: reading, decoding, preprocessing, encoding
 * and the policy decision for every file. The rate leaves out model loading and policy compilation (the
 * wall time includes them).
 */
export async function scanOnce(options: {
  repoRoot: string;
  modelDir: string;
  variant: ModelVariant;
  files: string[];
  policy: string;
  policyCacheDir: string;
  layout: LimitPoint;
}): Promise<ScanRun> {
  const args = [
    'scan',
    ...options.files,
    '--model',
    options.modelDir,
    '--variant',
    options.variant,
    '--policy',
    options.policy,
    '--cache-dir',
    options.policyCacheDir,
    '--json',
  ];
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(options.repoRoot, 'apps/cli/src/main.ts'), ...args],
    {
      cwd: options.repoRoot,
      env: { ...process.env, ...layoutEnv(options.layout) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  let ready = NaN;
  child.stderr.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
    // "policy <id> v<n> (sha256:…), N prompts …": the model is loaded and the policy compiled.
    if (Number.isNaN(ready) && /^policy \S+ v\d+ /m.test(stderr)) ready = performance.now();
  });
  const arrivals: number[] = [];
  const verdictOf = new Map<string, string>();
  for await (const line of createInterface({ input: child.stdout })) {
    arrivals.push(performance.now());
    const row = JSON.parse(line) as { file: string; verdict?: string; code?: string };
    verdictOf.set(row.file, row.verdict ?? row.code ?? 'error');
  }
  const code = await new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve),
  );
  // Exit 1 means "something was flagged", which random weights may well do.
  if (code !== 0 && code !== 1) throw new Error(`clipguard scan exited with ${code}: ${stderr}`);
  if (Number.isNaN(ready) || arrivals.length === 0)
    throw new Error(`clipguard scan printed no policy line: ${stderr}`);
  return {
    // scan prints its JSON lines in input order (a line waits for every earlier file), so their arrival
    // times come in bunches: the rate is every image over the time from the policy being ready to the
    // last line, the filling of the first batch and the last batch's drain included.
    imagesPerSecond: (arrivals.length / (arrivals[arrivals.length - 1] - ready)) * 1000,
    wallSeconds: (performance.now() - started) / 1000,
    verdictOf,
  };
}

/** `scan` over the corpus in `windows` processes of equal shares, each right after a limit window. */
export async function measureScan(options: {
  repoRoot: string;
  modelDir: string;
  variant: ModelVariant;
  files: string[];
  windows: number;
  policy: string;
  policyCacheDir: string;
  layout: LimitPoint;
  limit: LimitRunner;
  limitWindowMs: number;
  log: (line: string) => void;
}): Promise<{ result: ScanResult; verdictOf: Map<string, string> }> {
  const { files, layout } = options;
  // A window's rate counts whole inference rounds (sessions × batch images each) from the policy being
  // ready to the last line: give every window at least four rounds, even if that leaves fewer windows.
  const windows = Math.max(
    1,
    Math.min(options.windows, Math.floor(files.length / (4 * layout.sessions * layout.batch))),
  );
  const share = Math.ceil(files.length / windows);
  const verdictOf = new Map<string, string>();
  let wallSeconds = NaN;
  const paired = await alternate({
    windows,
    limit: () => options.limit.window(options.layout.batch, options.limitWindowMs),
    stage: async (i) => {
      const run = await scanOnce({ ...options, files: files.slice(i * share, (i + 1) * share) });
      if (i === 0) wallSeconds = run.wallSeconds;
      for (const [file, verdict] of run.verdictOf) verdictOf.set(file, verdict);
      return run.imagesPerSecond;
    },
    log: options.log,
    name: `scan ${options.variant}`,
  });
  const verdicts: Record<string, number> = {};
  let errors = 0;
  for (const v of verdictOf.values())
    if (['allow', 'review', 'block'].includes(v)) verdicts[v] = (verdicts[v] ?? 0) + 1;
    else errors++;
  return {
    result: {
      variant: options.variant,
      config: {
        images: verdictOf.size,
        windows,
        ...engineLayout(options.layout),
        command: `clipguard scan FILES… --variant ${options.variant} --policy ${options.policy} --json`,
      },
      imagesPerSecond: median(paired.stage),
      wallSeconds,
      verdicts,
      errors,
      paired,
    },
    verdictOf,
  };
}
