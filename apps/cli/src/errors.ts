import { types } from 'node:util';
import { BankError } from '@clipguard/banks';
import { ClipError } from '@clipguard/clip';
import { ConfigError } from '@clipguard/config';
import { PolicyError } from '@clipguard/policy';

/**
 * Exit codes shared by every command. Bits 1 and 2 combine, so a run that flagged images and could not
 * read others says both: 0 ok; 1 something found (scan: flagged; policy validate: invalid; audit: broken);
 * 2 some inputs could not be read or were skipped; 3 both; 4 the command could not run at all.
 */
export const EXIT_OK = 0;
export const EXIT_FLAGGED = 1;
export const EXIT_PARTIAL = 2;
export const EXIT_FAILED = 4;

export const EXIT_CODES_HELP = `Exit codes:
  0  done; nothing flagged
  1  something flagged (scan), invalid (policy validate) or broken (audit verify)
  2  some inputs could not be read or were skipped (each is reported)
  3  both 1 and 2
  4  the command could not run (bad option, missing policy, model or labels, no input)`;

export type CliErrorCode =
  | 'USAGE'
  | 'OPTION_INVALID'
  | 'INPUT_NOT_FOUND'
  | 'INPUT_EMPTY'
  | 'LABELS_NOT_FOUND'
  | 'LABELS_INVALID'
  | 'LABELS_UNKNOWN_CATEGORY'
  | 'MODEL_DIR_EXPECTED'
  | 'USER_NOT_FOUND'
  | 'USER_EXISTS'
  | 'ROWS_SKIPPED'
  | 'NOTHING_EVALUATED'
  // fairness commands (report, calibrate, replay)
  | 'STORE_UNREADABLE'
  | 'WINDOW_TOO_LARGE'
  | 'LABELS_TOO_FEW'
  | 'OUTPUT_EXISTS'
  // banks
  | 'BANK_NOT_FOUND';

/** A problem the user can fix: a stable code, what is wrong, and what to do about it. */
export class CliError extends Error {
  constructor(
    readonly code: CliErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A command line that cannot work as given (code USAGE). */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super('USAGE', message, hint);
  }
}

const ERRNO: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EMFILE: 'too many open files',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
};

interface SystemError {
  code: string;
  path?: string;
}

/** Node's errors fail `instanceof Error` across realms (jest's sandbox), so the check is by kind. */
export const isError = (err: unknown): err is Error => types.isNativeError(err) || err instanceof Error;

function isSystemError(err: unknown): err is Error & SystemError {
  return isError(err) && 'code' in err && typeof err.code === 'string' && err.code in ERRNO;
}

/** The fix for policy problems that are about where the file is, not what it says. */
const POLICY_HINTS: Partial<Record<string, string>> = {
  POLICY_NOT_FOUND:
    'give a policy file (policies/<id>/v<N>.yaml) or a policy directory (policies/<id>: its newest version)',
};

/**
 * What the user sees for an error: its code, message and fix. Errors that are not ours to explain
 * (bugs) never show their internal text; `--debug` prints the stack.
 */
export function describeError(err: unknown): { code: string; message: string; hint?: string } {
  if (err instanceof CliError) return { code: err.code, message: err.message, hint: err.hint };
  if (err instanceof PolicyError)
    return { code: err.code, message: err.message, hint: POLICY_HINTS[err.code] };
  if (err instanceof ClipError || err instanceof ConfigError || err instanceof BankError)
    return { code: err.code, message: err.message };
  if (isSystemError(err)) {
    return { code: err.code, message: `${err.path ? `${err.path}: ` : ''}${ERRNO[err.code]}` };
  }
  return {
    code: 'INTERNAL',
    message: 'clipguard failed unexpectedly (a bug, not your input)',
    hint: 'run the same command with --debug to see the stack trace, and report it',
  };
}

/** `error[CODE]: message` and an indented hint; policy problems already come laid out like a compiler's. */
export function formatError(err: unknown): string {
  const { code, message, hint } = describeError(err);
  const head =
    err instanceof PolicyError && code === 'POLICY_INVALID' ? message : `error[${code}]: ${message}`;
  return hint ? `${head}\n  hint: ${hint}` : head;
}

/** The code of an error, as describeError gives it. */
export function errorCode(err: unknown): string {
  return describeError(err).code;
}

/** Why one known file failed, without repeating its path (the caller shows it). */
export function fileErrorReason(err: unknown): string {
  return isSystemError(err) ? ERRNO[err.code] : describeError(err).message;
}
