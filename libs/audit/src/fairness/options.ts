import { z } from 'zod';
import { parseOrThrow } from './errors';

export const fairnessOptionsSchema = z.strictObject({
  minGroupSize: z
    .number()
    .int()
    .min(1)
    .default(30)
    .describe('groups with fewer decisions (or labels, for error rates) are "too few" and never alert'),
  confidence: z.number().gt(0).lt(1).default(0.95).describe('level of the per-group rate intervals'),
  familyAlpha: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.05)
    .describe('chance that noise alone raises any alert in one report (Bonferroni over its comparisons)'),
  ratioRule: z
    .number()
    .gt(0)
    .max(1)
    .default(0.8)
    .describe('the four-fifths rule: a selection-rate ratio below this is adverse impact'),
  minGap: z
    .number()
    .min(0)
    .lt(1)
    .default(0.05)
    .describe('error-rate gaps smaller than this are not alerted even when certain'),
  ambiguousMargin: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.1)
    .describe('a probe result whose top-minus-second probability is below this is ambiguous'),
});

export type FairnessOptionsInput = z.input<typeof fairnessOptionsSchema>;
export type FairnessOptions = z.output<typeof fairnessOptionsSchema>;

export function parseFairnessOptions(input: unknown = {}): FairnessOptions {
  return parseOrThrow(fairnessOptionsSchema, input, 'FAIRNESS_OPTIONS_INVALID', 'invalid fairness options');
}
