/** Stable codes for every way a bank refuses input; the API maps them to HTTP statuses. */
export type BankErrorCode =
  | 'BANK_INVALID'
  | 'BANK_NOT_FOUND'
  | 'BANK_KIND_MISMATCH'
  | 'ENTRY_INVALID'
  | 'ENTRY_NOT_FOUND'
  | 'PDQ_HASH_INVALID'
  | 'PDQ_LOW_QUALITY'
  | 'SHA256_INVALID'
  | 'EMBEDDING_INVALID'
  | 'PIXELS_INVALID'
  /** An image for an embedding bank whose embedding is not at hand (no encoder here, never submitted). */
  | 'EMBEDDING_UNAVAILABLE';

export class BankError extends Error {
  constructor(
    readonly code: BankErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BankError';
  }
}
