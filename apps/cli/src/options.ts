import type { ZodType } from 'zod';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { MODEL_VARIANTS } from '@clipguard/clip';
import { loadEnv } from '@clipguard/config';
import { CliError } from './errors';

/** Parser for a whole-number option within [min, max]; the message names the range (commander adds the option). */
export function integerIn(min: number, max: number, why = '') {
  return (raw: string): number => {
    const value = Number(raw);
    if (!/^\s*[+-]?\d+\s*$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`Expected a whole number from ${min} to ${max}${why}.`);
    }
    return value;
  };
}

/** --frames: 1 up to CLIPGUARD_MAX_FRAMES (read when the option is parsed), never silently capped. */
export const frames = (raw: string): number =>
  integerIn(1, loadEnv().CLIPGUARD_MAX_FRAMES, ' (the limit is CLIPGUARD_MAX_FRAMES)')(raw);

/** Parser for a decimal option within [min, max]. */
export function numberIn(min: number, max: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
      throw new InvalidArgumentError(`Expected a number from ${min} to ${max}.`);
    }
    return value;
  };
}

/** Parser for a share in (0, 1]; 90 is refused with the hint that it means 0.9. */
export function share(raw: string): number {
  const value = Number(raw);
  if (raw.trim() !== '' && Number.isFinite(value) && value > 0 && value <= 1) return value;
  const percent =
    Number.isFinite(value) && value > 1 && value <= 100 ? ` (for ${value}% write ${value / 100})` : '';
  throw new InvalidArgumentError(`Expected a share above 0 and at most 1${percent}.`);
}

/** --model / --variant; defaults come from the environment through libs/config (CLIPGUARD_MODEL_DIR, …). */
export function withModelOptions(cmd: Command): Command {
  return cmd
    .option(
      '--model <dir>',
      'model directory (default: $CLIPGUARD_MODEL_DIR, else models/clip-vit-base-patch32)',
    )
    .addOption(
      new Option(
        '--variant <variant>',
        'weights variant (default: $CLIPGUARD_MODEL_VARIANT, else fp32)',
      ).choices(MODEL_VARIANTS),
    );
}

/** Commander accumulator for repeatable options (`--text a --text b`). */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** The `--help` epilogue: examples that run as written, then the exit codes. */
export function helpEpilogue(examples: readonly string[], exitCodes: string): string {
  return `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n\n${exitCodes}\n`;
}

/** A value parsed with a zod schema, or an OPTION_INVALID error naming the option and every problem. */
export function parseOption<T>(schema: ZodType<T>, value: unknown, option: string): T {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new CliError('OPTION_INVALID', `${option}: ${r.error.issues.map((i) => i.message).join('; ')}`);
  return r.data;
}
