import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's interpreter: the one python3-torch installs into (a pyenv or venv python3 lacks it). */
const PYTHON = '/usr/bin/python3';

/**
 * The random-weight ViT-B/32 directory, exported once into the bench cache (outside git). Fails with
 * the install line when PyTorch is missing, rather than falling back to anything else.
 */
export function ensureBenchModel(repoRoot: string, dir: string, log: (line: string) => void): string {
  if (existsSync(join(dir, 'clipguard.json'))) return dir;
  const probe = spawnSync(PYTHON, ['-c', 'import torch, onnx, PIL, numpy'], { encoding: 'utf8' });
  if (probe.status !== 0)
    throw new Error(
      `exporting the benchmark model needs PyTorch and ONNX for ${PYTHON}: ` +
        'apt-get install -y python3-torch python3-onnx python3-numpy python3-pil libopenblas0-pthread ' +
        '(or pass --model DIR with a CLIP model directory)',
    );
  log(`exporting a random-weight ViT-B/32 to ${dir} (once; about a minute)`);
  const run = spawnSync(PYTHON, [join(repoRoot, 'tools/bench/export_vit_b32.py'), '--out', dir], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`export_vit_b32.py failed (exit ${run.status})`);
  return dir;
}
