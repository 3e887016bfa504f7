import { z } from 'zod';
import { envSchema, type Env } from './env';

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

/** Parses the environment once; an invalid value stops startup with every problem listed. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(`invalid configuration:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
