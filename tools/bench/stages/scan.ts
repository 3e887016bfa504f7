import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { steadyRate } from '../stats';
import { engineLayout, layoutEnv, type EngineLayout, type LimitPoint } from './limit';

export interface ScanResult {
  config: EngineLayout & { images: number; command: string };
  imagesPerSecond: number;
  wallSeconds: number;
  verdicts: Record<string, number>;
  errors: number;
}

/**
 * `clipguard scan` as a user runs it, in its own process, on the JPEG corpus: reading, decoding,
 * preprocessing, encoding and the policy decision for every file. The rate is the steady one, from
 * the times the JSON lines arrive (model loading and policy compilation are reported apart).
 */
export async function measureScan(options: {
  repoRoot: string;
  modelDir: string;
  corpusDir: string;
  policy: string;
  policyCacheDir: string;
  layout: LimitPoint;
}): Promise<ScanResult> {
  const { layout } = options;
  const args = [
    'scan',
    options.corpusDir,
    '--model',
    options.modelDir,
    '--policy',
    options.policy,
    '--cache-dir',
    options.policyCacheDir,
    '--json',
  ];
  const env = {
    ...process.env,
    ...layoutEnv(layout),
  };
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(options.repoRoot, 'apps/cli/src/main.ts'), ...args],
    {
      cwd: options.repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const arrivals: number[] = [];
  const verdicts: Record<string, number> = {};
  let errors = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    arrivals.push(performance.now());
    const row = JSON.parse(line) as { verdict?: string; error?: string };
    if (row.verdict) verdicts[row.verdict] = (verdicts[row.verdict] ?? 0) + 1;
    else errors++;
  }
  const code = await new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve),
  );
  // Exit 1 means "something was flagged", which random weights may well do.
  if (code !== 0 && code !== 1) throw new Error(`clipguard scan exited with ${code}: ${stderr}`);
  return {
    config: {
      images: arrivals.length,
      ...engineLayout(layout),
      command: `clipguard ${args.join(' ')}`,
    },
    imagesPerSecond: steadyRate(arrivals),
    wallSeconds: (performance.now() - started) / 1000,
    verdicts,
    errors,
  };
}
