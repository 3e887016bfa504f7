import { ClipError } from '@clipguard/clip';

/** Exit codes shared by every command: 0 ok, 1 something flagged (scan), 2 an error. */
export const EXIT_OK = 0;
export const EXIT_FLAGGED = 1;
export const EXIT_ERROR = 2;

export class UsageError extends Error {
  readonly code = 'USAGE';
}

export function describeError(err: unknown): string {
  if (err instanceof ClipError || err instanceof UsageError) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
