import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's interpreter: the one python3-torch installs into (a pyenv or venv python3 lacks it). */
const PYTHON = '/usr/bin/python3';

function probe(modules: string, install: string): void {
  const run = spawnSync(PYTHON, ['-c', `import ${modules}`], { encoding: 'utf8' });
  if (run.status !== 0)
    throw new Error(
      `${PYTHON} lacks ${modules}: apt-get install -y ${install} (or pass --model DIR with a CLIP model directory)`,
    );
}

function python(args: string[], cwd: string, what: string): void {
  const run = spawnSync(PYTHON, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0) throw new Error(`${what} failed (exit ${run.status})`);
}

/** Whether a model directory's manifest lists an int8 variant (tools/quantize writes it). */
export function hasInt8(dir: string): boolean {
  const manifest = JSON.parse(readFileSync(join(dir, 'clipguard.json'), 'utf8')) as { variants?: string[] };
  return manifest.variants?.includes('int8') ?? false;
}

/**
 * The random-weight ViT-B/32 directory with its int8 variant, exported and quantized once into the bench
 * cache (outside git). Fails with the install line when PyTorch is missing, rather than falling back to
 * anything else.
 */
export function ensureBenchModel(repoRoot: string, dir: string, log: (line: string) => void): string {
  if (!existsSync(join(dir, 'clipguard.json'))) {
    probe(
      'torch, onnx, PIL, numpy',
      'python3-torch python3-onnx python3-numpy python3-pil libopenblas0-pthread',
    );
    log(`exporting a random-weight ViT-B/32 to ${dir} (once; about a minute)`);
    python([join(repoRoot, 'tools/bench/export_vit_b32.py'), '--out', dir], repoRoot, 'export_vit_b32.py');
  }
  if (!hasInt8(dir)) {
    probe('onnx, numpy', 'python3-onnx python3-numpy');
    log(`quantizing ${dir} to int8 (once; a few seconds)`);
    python([join(repoRoot, 'tools/quantize/quantize.py'), '--model', dir], repoRoot, 'tools/quantize');
  }
  return dir;
}
