import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { describeIssues } from '@clipguard/contracts';
import { ClipError } from '../errors';
import {
  preprocessorConfigSchema,
  toPreprocessConfig,
  type PreprocessConfig,
} from '../image/preprocess-config';

export function readJsonFile<S extends z.ZodType>(
  dir: string,
  name: string,
  schema: S,
  expected: string,
): z.infer<S> {
  const path = join(dir, name);
  if (!existsSync(path))
    throw new ClipError('MODEL_FILE_MISSING', `${path} is missing: expected ${expected}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ClipError('MODEL_INVALID', `${path} is not valid JSON`, { cause: err });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ClipError(
      'MODEL_INVALID',
      `${path}: expected ${expected}; ${describeIssues(parsed.error, '(root)')}`,
    );
  }
  return parsed.data;
}

/** Just the preprocessing settings of a model directory, without hashing or loading the graphs. */
export function readPreprocessConfig(dir: string): PreprocessConfig {
  return toPreprocessConfig(
    readJsonFile(dir, 'preprocessor_config.json', preprocessorConfigSchema, 'a CLIPImageProcessor config'),
  );
}
