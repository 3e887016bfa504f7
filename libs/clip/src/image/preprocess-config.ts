import { z } from 'zod';

const size = z.union([
  z.number().int().positive(),
  z.object({ shortest_edge: z.number().int().positive() }),
  z.object({ height: z.number().int().positive(), width: z.number().int().positive() }),
]);

/** The fields of Hugging Face's `preprocessor_config.json` (CLIPImageProcessor) that shape the pixels. */
export const preprocessorConfigSchema = z.object({
  do_resize: z.boolean().default(true),
  size: size.default(224),
  resample: z.number().int().default(3),
  do_center_crop: z.boolean().default(true),
  crop_size: size.default(224),
  do_rescale: z.boolean().default(true),
  rescale_factor: z
    .number()
    .positive()
    .default(1 / 255),
  do_normalize: z.boolean().default(true),
  image_mean: z.tuple([z.number(), z.number(), z.number()]),
  image_std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]),
});

export interface PreprocessConfig {
  /** Shorter side after resizing, or 0 for no resize. */
  shortestEdge: number;
  cropWidth: number;
  cropHeight: number;
  rescaleFactor: number;
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

function edge(s: z.infer<typeof size>): { width: number; height: number } {
  if (typeof s === 'number') return { width: s, height: s };
  if ('shortest_edge' in s) return { width: s.shortest_edge, height: s.shortest_edge };
  return s;
}

export function toPreprocessConfig(raw: z.infer<typeof preprocessorConfigSchema>): PreprocessConfig {
  const crop = edge(raw.do_center_crop ? raw.crop_size : raw.size);
  return {
    shortestEdge: raw.do_resize ? Math.min(edge(raw.size).width, edge(raw.size).height) : 0,
    cropWidth: crop.width,
    cropHeight: crop.height,
    rescaleFactor: raw.do_rescale ? raw.rescale_factor : 1,
    mean: raw.do_normalize ? raw.image_mean : [0, 0, 0],
    std: raw.do_normalize ? raw.image_std : [1, 1, 1],
  };
}

/** OpenAI CLIP's own preprocessing (224, bicubic, centre crop, CLIP mean/std). */
export const CLIP_PREPROCESS: PreprocessConfig = {
  shortestEdge: 224,
  cropWidth: 224,
  cropHeight: 224,
  rescaleFactor: 1 / 255,
  mean: [0.48145466, 0.4578275, 0.40821073],
  std: [0.26862954, 0.26130258, 0.27577711],
};
