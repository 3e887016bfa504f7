import { z } from 'zod';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SCORING_METHODS = ['softmax', 'cosine', 'binary'] as const;
export type ScoringMethod = (typeof SCORING_METHODS)[number];

const id = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*$/, 'lower-case letters, digits, "_" or "-", starting with a letter');

/** A prompt: plain text, or text with its own cosine threshold (used by the `cosine` method). */
export const promptSchema = z.union([
  z.string().min(1).max(300),
  z.strictObject({
    text: z.string().min(1).max(300),
    threshold: z.number().min(-1).max(1).optional(),
  }),
]);
export type PromptInput = z.infer<typeof promptSchema>;

const thresholdsSchema = z
  .strictObject({
    review: z
      .number()
      .min(0)
      .max(1)
      .describe('score at or above which the category sends an image to review'),
    block: z.number().min(0).max(1).describe('score at or above which the category blocks an image'),
  })
  .refine((t) => t.review <= t.block, { message: 'review threshold must not exceed block threshold' });

export interface CategoryInput {
  id: string;
  title: string;
  description?: string;
  severity: Severity;
  action: 'block' | 'review' | 'flag';
  prompts: PromptInput[];
  contrast?: PromptInput[];
  thresholds: { review: number; block: number };
  children?: CategoryInput[];
}

export const categorySchema: z.ZodType<CategoryInput> = z.lazy(() =>
  z.strictObject({
    id,
    title: z.string().min(1),
    description: z.string().optional(),
    severity: z.enum(SEVERITIES),
    action: z
      .enum(['block', 'review', 'flag'])
      .default('block')
      .describe('block: may block; review: at most review; flag: reported, never changes the verdict'),
    prompts: z.array(promptSchema).min(1),
    contrast: z
      .array(promptSchema)
      .min(1)
      .optional()
      .describe('"does not contain" prompts this category competes with under the binary method'),
    thresholds: thresholdsSchema,
    children: z
      .array(categorySchema)
      .min(1)
      .optional()
      .describe('fine-grained categories, scored only when this category crosses its review threshold'),
  }),
);

const attributeSchema = z.strictObject({
  id,
  title: z.string().min(1),
  description: z.string().optional(),
  values: z
    .array(z.strictObject({ id, prompts: z.array(promptSchema).min(1) }))
    .min(2)
    .describe('the probe picks the most likely value; used only for aggregate fairness reports'),
});

const scoringSchema = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('softmax') }),
  z.strictObject({ method: z.literal('binary') }),
  z.strictObject({
    method: z.literal('cosine'),
    default_threshold: z.number().min(-1).max(1).describe('cosine threshold for prompts without their own'),
    special_care: z
      .strictObject({
        prompts: z.array(promptSchema).min(1),
        adjustment: z.number().min(0).max(1).default(0.01),
      })
      .optional()
      .describe(
        'the Stable Diffusion safety checker rule: if any of these fires, every threshold drops by adjustment',
      ),
  }),
]);

export const policySchema = z
  .strictObject({
    $schema: z.string().optional(),
    id,
    version: z.number().int().positive(),
    description: z.string().min(1),
    model: z
      .strictObject({
        name: z
          .string()
          .min(1)
          .describe('the model the thresholds were tuned for, e.g. clip-vit-base-patch32'),
        id: z
          .string()
          .optional()
          .describe('exact model id, when the thresholds were tuned on specific weights'),
      })
      .describe('the model this policy was tuned for'),
    templates: z
      .array(z.string().min(1))
      .min(1)
      .describe('prompt templates; "{}" is replaced by each prompt'),
    scoring: scoringSchema,
    benign: z.array(promptSchema).default([]).describe('allowed content the categories compete with'),
    categories: z.array(categorySchema).min(1),
    attributes: z.array(attributeSchema).default([]),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    const walk = (cats: CategoryInput[], path: (string | number)[]) =>
      cats.forEach((c, i) => {
        if (seen.has(c.id))
          ctx.addIssue({
            code: 'custom',
            message: `duplicate category id "${c.id}"`,
            path: [...path, i, 'id'],
          });
        seen.add(c.id);
        if (p.scoring.method === 'binary' && !c.contrast) {
          ctx.addIssue({
            code: 'custom',
            message: 'the binary method needs contrast prompts',
            path: [...path, i, 'prompts'],
          });
        }
        if (c.children) walk(c.children, [...path, i, 'children']);
      });
    walk(p.categories, ['categories']);
    if (p.scoring.method === 'softmax' && p.benign.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'the softmax method needs benign prompts to compete with',
        path: ['benign'],
      });
    }
  });

export type PolicyInput = z.input<typeof policySchema>;
export type Policy = z.output<typeof policySchema>;
