/** A refused request: a stable code, the HTTP status it maps to, and a message for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** RFC 9457 problem details with our stable code. */
export function problem(status: number, code: string, detail: string) {
  return { type: `https://clipguard.dev/problems/${code.toLowerCase()}`, title: code, status, code, detail };
}

/** One line naming every failing field of a zod error, for problem details and logs. */
export function describeIssues(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`).join('; ');
}
