/** Stable codes for every way the CLIP engine refuses work: the pipeline records them as a submission's error code, the CLI prints them. */
export type ClipErrorCode =
  | 'MODEL_FILE_MISSING'
  | 'MODEL_INVALID'
  | 'MODEL_VARIANT_MISSING'
  | 'EXECUTION_PROVIDER_UNAVAILABLE'
  | 'TOKENIZER_INVALID'
  | 'TEXT_TOO_LONG'
  | 'IMAGE_EMPTY'
  | 'IMAGE_TOO_LARGE'
  | 'IMAGE_TOO_MANY_FRAMES'
  | 'IMAGE_UNSUPPORTED'
  | 'IMAGE_CORRUPT'
  | 'ENGINE_CLOSED';

export class ClipError extends Error {
  constructor(
    readonly code: ClipErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ClipError';
  }
}

/** Errors that belong to the input (retrying cannot help); the rest are the engine's own faults. */
export function isInputError(err: unknown): err is ClipError {
  return (
    err instanceof ClipError &&
    [
      'IMAGE_EMPTY',
      'IMAGE_TOO_LARGE',
      'IMAGE_TOO_MANY_FRAMES',
      'IMAGE_UNSUPPORTED',
      'IMAGE_CORRUPT',
      'TEXT_TOO_LONG',
    ].includes(err.code)
  );
}
