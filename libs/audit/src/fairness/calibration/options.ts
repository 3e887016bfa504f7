import { z } from 'zod';
import { parseOrThrow } from '../errors';

export const calibrationOptionsSchema = z.strictObject({
  target: z.union([
    z.strictObject({ precision: z.number().gt(0).max(1) }),
    z.strictObject({ recall: z.number().gt(0).max(1) }),
  ]),
  threshold: z
    .enum(['review', 'block'])
    .default('review')
    .describe('which of each category’s thresholds to calibrate'),
  minLabels: z.number().int().min(1).default(30).describe('fewer labelled items for a category: refused'),
  minPositives: z
    .number()
    .int()
    .min(1)
    .default(10)
    .describe('fewer items a moderator found the category in: refused'),
  resamples: z.number().int().min(100).max(100000).default(1000),
  seed: z.number().int().default(1),
});

export type CalibrationOptionsInput = z.input<typeof calibrationOptionsSchema>;
export type CalibrationOptions = z.output<typeof calibrationOptionsSchema>;

export function parseCalibrationOptions(input: unknown): CalibrationOptions {
  return parseOrThrow(
    calibrationOptionsSchema,
    input,
    'CALIBRATION_OPTIONS_INVALID',
    'invalid calibration options',
  );
}
