import { z } from 'zod';
import { parseOrThrow } from '../errors';

export const driftOptionsSchema = z.strictObject({
  bins: z.number().int().min(2).max(1000).default(10).describe('equal-width score bins over [0, 1]'),
  level: z
    .number()
    .gt(0)
    .default(0.25)
    .describe('PSI at or above which a distribution has shifted (0.1–0.25 moderate, above 0.25 significant)'),
  pseudoCount: z.number().min(0).default(0.5).describe('added to every bin before shares are taken'),
});

export type DriftOptionsInput = z.input<typeof driftOptionsSchema>;
export type DriftOptions = z.output<typeof driftOptionsSchema>;

export function parseDriftOptions(input: unknown = {}): DriftOptions {
  return parseOrThrow(driftOptionsSchema, input, 'DRIFT_OPTIONS_INVALID', 'invalid drift options');
}
