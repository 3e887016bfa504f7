import { cpus, totalmem, release, platform } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  onnxruntime: string;
  transformersJs: string;
  sharp: string;
}

function packageVersion(name: string): string {
  try {
    const path = join(__dirname, '..', '..', 'node_modules', name, 'package.json');
    const pkg = JSON.parse(readFileSync(path, 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return 'not installed';
  }
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    onnxruntime: packageVersion('onnxruntime-node'),
    transformersJs: packageVersion('@huggingface/transformers'),
    sharp: packageVersion('sharp'),
  };
}
