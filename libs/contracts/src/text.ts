import { z } from 'zod';

// A lone surrogate half: not well-formed UTF-16, so not representable in UTF-8 (PostgreSQL refuses it,
// and lossy conversions would merge distinct strings).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text PostgreSQL can store as it was sent: well-formed Unicode without NUL characters. */
export function isStorableText(s: string): boolean {
  return !s.includes('\u0000') && !LONE_SURROGATE.test(s);
}

/** A string of at most `max` characters that is storable as sent. */
export const storableText = (max: number) =>
  z.string().max(max).refine(isStorableText, 'must be well-formed Unicode without NUL characters');

/**
 * Event ids: 1–200 printable ASCII characters (U+0021–U+007E), so an id is compared, stored and logged
 * exactly as the platform sent it (UUIDs, "evt_123", "post:9/img:2" all fit).
 */
export const eventIdSchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, 'must be 1–200 printable ASCII characters (U+0021–U+007E)');

/** The three verdicts, least to most severe. */
export const VERDICTS = ['allow', 'review', 'block'] as const;
export type Verdict = (typeof VERDICTS)[number];
export const verdictSchema = z.enum(VERDICTS);

/** Whether a path parameter is a UUID (anything else cannot name a row, and is not looked up). */
export const isUuid = (s: string) => z.uuid().safeParse(s).success;
