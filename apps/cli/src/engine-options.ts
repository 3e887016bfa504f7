import { Option, type Command } from 'commander';
import { ClipEngine, MODEL_VARIANTS } from '@clipguard/clip';
import { engineConfigFromEnv, loadEnv, type ModelVariant } from '@clipguard/config';

export interface EngineFlags {
  model?: string;
  variant?: ModelVariant;
}

/** --model / --variant on a command; defaults come from the environment (CLIPGUARD_MODEL_DIR, …). */
export function withModelOptions(cmd: Command): Command {
  return cmd
    .option(
      '--model <dir>',
      'model directory (default: $CLIPGUARD_MODEL_DIR or models/clip-vit-base-patch32)',
    )
    .addOption(
      new Option(
        '--variant <variant>',
        'weights variant (default: $CLIPGUARD_MODEL_VARIANT or fp32)',
      ).choices(MODEL_VARIANTS),
    );
}

/** Runs `work` with an open engine and always closes it (its worker threads keep the process alive). */
export async function withEngine<T>(
  flags: EngineFlags,
  work: (engine: ClipEngine) => Promise<T>,
): Promise<T> {
  const config = engineConfigFromEnv(loadEnv());
  const engine = await ClipEngine.open({
    ...config,
    modelDir: flags.model ?? config.modelDir,
    variant: flags.variant ?? config.variant,
  });
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

/** Commander accumulator for repeatable options (`--image a --image b`). */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];
