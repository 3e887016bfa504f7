import { z } from 'zod';

export const MODEL_VARIANTS = ['fp32', 'fp16', 'int8'] as const;

/** `clipguard.json`: what the Hugging Face files do not say, and the hashes that name the weights. */
export const manifestSchema = z.object({
  name: z.string().min(1),
  source: z.string().optional(),
  /** exp(logit_scale) of the trained model: 100 for OpenAI's released CLIPs. */
  logit_scale: z.number().positive().max(1000),
  embed_dim: z.number().int().positive(),
  image_size: z.number().int().positive().default(224),
  context_length: z.number().int().positive().default(77),
  variants: z.array(z.enum(MODEL_VARIANTS)).min(1),
  /** sha256 of every file in the directory, by relative path. */
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
});

export type ModelManifest = z.infer<typeof manifestSchema>;

/** The subset of Hugging Face's CLIP `config.json` the engine checks against the graphs. */
export const hfConfigSchema = z.object({
  model_type: z.string().optional(),
  projection_dim: z.number().int().positive(),
  text_config: z
    .object({ max_position_embeddings: z.number().int().positive().optional() })
    .loose()
    .optional(),
  vision_config: z
    .object({
      image_size: z.number().int().positive().optional(),
      patch_size: z.number().int().positive().optional(),
    })
    .loose()
    .optional(),
});

/** File names used by Hugging Face / Optimum / transformers.js exports for each variant. */
export function variantFileNames(
  variant: (typeof MODEL_VARIANTS)[number],
  tower: 'vision' | 'text',
): string[] {
  const base = `onnx/${tower}_model`;
  switch (variant) {
    case 'fp32':
      return [`${base}.onnx`];
    case 'fp16':
      return [`${base}_fp16.onnx`];
    case 'int8':
      return [`${base}_quantized.onnx`, `${base}_int8.onnx`];
  }
}
