import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Whether `presented` equals one of `secrets`, in time that depends on neither: each side is hashed to a
 * fixed length first, then compared with timingSafeEqual, and every secret is compared (no early exit).
 */
export function matchesSecret(presented: string, secrets: readonly string[]): boolean {
  const p = digest(presented);
  let match = false;
  for (const s of secrets) match = timingSafeEqual(p, digest(s)) || match;
  return match;
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return m?.[1];
}
