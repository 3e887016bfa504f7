import { statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { ClipEngine } from '@clipguard/clip';
import { engineConfigFromEnv, loadEnv, type EngineConfig, type ModelVariant } from '@clipguard/config';
import { CliError } from './errors';

export interface EngineFlags {
  model?: string;
  variant?: ModelVariant;
}

/**
 * The model directory a command uses: --model, else CLIPGUARD_MODEL_DIR (through the config loader). A file
 * (an .onnx graph, a tokenizer.json) is refused with the directory that probably was meant.
 */
export function resolveModelDir(flag: string | undefined, option = '--model'): string {
  const dir = flag ?? loadEnv().CLIPGUARD_MODEL_DIR;
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) {
    const parent = dirname(dir);
    const root = basename(parent) === 'onnx' ? dirname(parent) : parent;
    throw new CliError(
      'MODEL_DIR_EXPECTED',
      `${option} expects a model directory, but ${dir} is a file`,
      `use the directory that holds clipguard.json and onnx/, e.g. ${option} ${root}`,
    );
  }
  return dir;
}

export function engineConfig(flags: EngineFlags): EngineConfig {
  const config = engineConfigFromEnv(loadEnv());
  return { ...config, modelDir: resolveModelDir(flags.model), variant: flags.variant ?? config.variant };
}

/** Runs `work` with an open engine and always closes it (its worker threads keep the process alive). */
export async function withEngine<T>(
  flags: EngineFlags,
  work: (engine: ClipEngine) => Promise<T>,
): Promise<T> {
  const engine = await ClipEngine.open(engineConfig(flags));
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}
