/**
 * Every code the HTTP API answers with, and the status it maps to: one table, so a code can never be
 * answered with two statuses (ROOST Coop's ErrorType). Messages are for people; codes are the contract.
 */
export const API_ERRORS = {
  BAD_REQUEST: 400,
  QUERY_INVALID: 400,
  API_KEY_INVALID: 401,
  SESSION_REQUIRED: 401,
  LOGIN_FAILED: 401,
  TENANT_UNKNOWN: 401,
  WEBHOOK_SIGNATURE_MISSING: 401,
  WEBHOOK_SIGNATURE_INVALID: 401,
  WEBHOOK_STALE: 401,
  METRICS_TOKEN_INVALID: 401,
  TENANT_FORBIDDEN: 403,
  CSRF_INVALID: 403,
  ROLE_FORBIDDEN: 403,
  APPEAL_OWN_REVIEW: 403,
  BANK_READ_ONLY: 403,
  NOT_FOUND: 404,
  SUBMISSION_NOT_FOUND: 404,
  REVIEW_NOT_FOUND: 404,
  ITEM_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  POLICY_NOT_FOUND: 404,
  IMAGE_UNAVAILABLE: 404,
  BANK_NOT_FOUND: 404,
  ENTRY_NOT_FOUND: 404,
  // Banks: the codes of libs/banks' BankError, answered as they are.
  BANK_ID_TAKEN: 409,
  BANK_NEEDS_BLOCK: 400,
  BANK_INVALID: 422,
  BANK_KIND_MISMATCH: 422,
  ENTRY_INVALID: 422,
  PDQ_HASH_INVALID: 422,
  PDQ_LOW_QUALITY: 422,
  SHA256_INVALID: 422,
  EMBEDDING_INVALID: 422,
  EMBEDDING_UNAVAILABLE: 422,
  PIXELS_INVALID: 422,
  IMAGE_INVALID: 422,
  REVIEW_NOT_PENDING: 409,
  CLAIM_LOST: 409,
  APPEAL_NOT_ALLOWED: 409,
  APPEAL_OPEN: 409,
  USER_EXISTS: 409,
  BODY_TOO_LARGE: 413,
  IMAGE_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BODY_INVALID: 422,
  WEBHOOK_BODY_INVALID: 422,
  CONTENT_URL_REJECTED: 422,
  IMAGE_MISSING: 422,
  MULTIPART_FIELD_INVALID: 422,
  RATE_LIMITED: 429,
  LOGIN_RATE_LIMITED: 429,
  INTERNAL: 500,
  DATABASE_UNAVAILABLE: 503,
  NOT_READY: 503,
  LOGIN_UNAVAILABLE: 503,
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

/** A refused request: a stable code (its status comes from the table), a message, optional details. */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    /** Extra problem members (for example readiness checks); never secrets. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = API_ERRORS[code];
  }
}

export interface Problem extends Record<string, unknown> {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
}

/** RFC 9457 problem details with our stable code; `details` become extra members. */
export function problem(
  status: number,
  code: string,
  detail: string,
  details: Record<string, unknown> = {},
): Problem {
  return {
    ...details,
    type: `https://clipguard.dev/problems/${code.toLowerCase()}`,
    title: code,
    status,
    code,
    detail,
  };
}

/**
 * One line naming every failing field of a zod error, for problem details and logs; `root` names the whole
 * input (a request body by default).
 */
export function describeIssues(
  error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] },
  root = '(body)',
): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || root}: ${i.message}`).join('; ');
}
