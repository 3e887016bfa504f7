import { z } from 'zod';

const csv = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string()).min(1));

export const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

/** "true"/"false"/"1"/"0" from the environment. */
export const flag = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

/** Every environment variable the engine reads, with its default. Apps and libs read the environment only through libs/config's loaders; tools read their own. */
export const envSchema = z.object({
  CLIPGUARD_MODEL_DIR: z.string().default('models/clip-vit-base-patch32'),
  CLIPGUARD_MODEL_VARIANT: z.enum(['fp32', 'fp16', 'int8']).default('fp32'),
  CLIPGUARD_EXECUTION_PROVIDERS: csv.default(['cpu']),
  CLIPGUARD_INTRA_OP_THREADS: int(0),
  CLIPGUARD_INTER_OP_THREADS: int(1),
  /** Vision sessions, each in its own thread, running batches side by side. */
  CLIPGUARD_VISION_SESSIONS: int(1, 1),
  /**
   * Let ONNX Runtime's intra-op threads spin between operators. Faster when inference has the cores to
   * itself; off frees the cores for decoding and the other services when they share the machine.
   */
  CLIPGUARD_INTRA_OP_SPINNING: flag(true),
  CLIPGUARD_MAX_BATCH: int(32, 1),
  CLIPGUARD_MAX_WAIT_MS: int(5),
  CLIPGUARD_IMAGE_CACHE_SIZE: int(10_000),
  CLIPGUARD_TEXT_CACHE_SIZE: int(10_000),
  CLIPGUARD_MAX_IMAGE_BYTES: int(20 * 1024 * 1024, 1),
  CLIPGUARD_MAX_INPUT_PIXELS: int(40_000_000, 1),
  CLIPGUARD_MAX_FRAMES: int(16, 1),
  /** Pixels decoded per image, animation frames included (`IMAGE_TOO_MANY_FRAMES` above it). */
  CLIPGUARD_MAX_DECODED_PIXELS: int(1_000_000_000, 1),
  CLIPGUARD_MAX_TEXT_LENGTH: int(2000, 1),
  /** Hugging Face hub (or mirror) for `clipguard model fetch`, and an optional access token. */
  HF_ENDPOINT: z.string().url().default('https://huggingface.co'),
  HF_TOKEN: z.string().optional(),
  /** Set by CI systems (CI=true); `clipguard policy eval` and `policy diff` then default to --strict. */
  CI: z
    .string()
    .optional()
    .transform((v) => v !== undefined && !['', '0', 'false'].includes(v.toLowerCase())),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;
