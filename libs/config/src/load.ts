import { z } from 'zod';
import { envSchema, type Env } from './env';
import { pipelineEnvSchema, type PipelineEnv } from './pipeline-config';

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

/** The engine's settings plus the running pipeline's. */
export function loadPipelineEnv(source: NodeJS.ProcessEnv = process.env): Env & PipelineEnv {
  const parsed = envSchema.and(pipelineEnvSchema).safeParse(source);
  if (!parsed.success) throw new ConfigError(`invalid configuration:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Reads the secrets named by environment variable (tenants.yaml never holds secrets). */
export function secretsFromEnv(names: readonly string[], source: NodeJS.ProcessEnv = process.env): string[] {
  return names.map((n) => source[n]).filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/** Everything a pipeline process is configured with. */
export type AppEnv = Env & PipelineEnv;
