import type { ImageLimits } from '@clipguard/config';
import type { ClipErrorCode } from '../errors';
import type { PreprocessedImage, PreprocessOptions } from './preprocess';
import type { PreprocessConfig } from './preprocess-config';

/** What crosses into a preprocessing thread, and back (errors as data: a thrown ClipError loses its code). */
export interface PreprocessTask {
  bytes: Uint8Array;
  config: PreprocessConfig;
  limits: ImageLimits;
  options: PreprocessOptions;
}

export type PreprocessTaskResult =
  { ok: true; image: PreprocessedImage } | { ok: false; code: ClipErrorCode; message: string };
