import type { Document, LineCounter } from 'yaml';
import type { z } from 'zod';
import type { PolicyIssue } from '../errors';
import { didYouMean } from './did-you-mean';
import { fieldName, keySpan, mappingSpan, valueAt, valueSpan, type SourceSpan } from './locate';
import { knownKeys } from './schema-keys';

type Path = (string | number)[];
type ZodIssue = z.core.$ZodIssue;

export interface SchemaSource {
  doc: Document;
  counter: LineCounter;
  /** The document as plain values (what the schema saw). */
  value: unknown;
  schema: z.ZodType;
}

/** An issue plus what the merge of "unknown key" with "missing key" needs to know. */
interface Found {
  issue: PolicyIssue;
  /** Path of the key an unknown key probably meant. */
  meant?: string;
  /** Path of a required key that is missing. */
  missing?: string;
}

const code = (s: string) => `\`${s}\``;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  return typeof value === 'boolean' ? `the value ${value}` : typeof value;
}

const plainPath = (issue: ZodIssue): Path =>
  issue.path.filter((p): p is string | number => typeof p !== 'symbol');

function issueAt(
  source: SchemaSource,
  path: Path,
  at: SourceSpan | undefined,
  message: string,
  hint?: string,
): PolicyIssue {
  return {
    path: path.join('.'),
    field: fieldName(source.value, path),
    ...(at ?? {}),
    message,
    ...(hint ? { hint } : {}),
  };
}

function sizeMessage(issue: Extract<ZodIssue, { code: 'too_big' | 'too_small' }>, actual: unknown): string {
  const bound = issue.code === 'too_big' ? issue.maximum : issue.minimum;
  const strict = issue.inclusive === false;
  const word = issue.code === 'too_big' ? (strict ? 'below' : 'at most') : strict ? 'above' : 'at least';
  if (issue.origin === 'array') return `needs ${word} ${String(bound)} item${Number(bound) === 1 ? '' : 's'}`;
  if (issue.origin === 'string')
    return `must be ${word} ${String(bound)} character${Number(bound) === 1 ? '' : 's'} long`;
  return `must be ${word} ${String(bound)}, not ${String(actual)}`;
}

/** One zod issue as a person reads it, positioned on its own key or value. */
function convert(source: SchemaSource, issue: ZodIssue): Found[] {
  const { doc, counter } = source;
  const path = plainPath(issue);
  const actual = valueAt(source.value, path);
  const field = fieldName(source.value, path);
  /** An issue on the value at the issue's own path. */
  const at = (message: string, hint?: string): Found => ({
    issue: issueAt(source, path, valueSpan(doc, counter, path), message, hint),
  });
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const present = valueAt(source.value, path);
        const candidates = knownKeys(source.schema, path).filter(
          (k) => !(present && typeof present === 'object' && k in present),
        );
        const guess = didYouMean(key, candidates);
        const where = path.length ? ` in ${fieldName(source.value, path)}` : '';
        const hint = guess
          ? `did you mean ${code(guess)}?`
          : candidates.length
            ? `allowed here: ${candidates.join(', ')}`
            : undefined;
        const at = keySpan(doc, counter, path, key);
        return {
          issue: issueAt(source, [...path, key], at, `unknown key ${code(key)}${where}`, hint),
          meant: guess ? [...path, guess].join('.') : undefined,
        };
      });
    case 'invalid_type': {
      if (actual === undefined) {
        const parent = path.slice(0, -1);
        const key = String(path[path.length - 1]);
        const where = parent.length ? ` in ${fieldName(source.value, parent)}` : '';
        const at = mappingSpan(doc, counter, parent);
        return [
          {
            issue: issueAt(source, path, at, `missing required key ${code(key)}${where}`),
            missing: path.join('.'),
          },
        ];
      }
      return [
        at(
          `${field} should be ${issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}, not ${describe(actual)}`,
        ),
      ];
    }
    case 'invalid_value': {
      const values = issue.values.map(String);
      const guess = typeof actual === 'string' ? didYouMean(actual, values) : undefined;
      return [
        at(
          `${field} is ${describe(actual)}; expected one of ${values.join(', ')}`,
          guess ? `did you mean ${code(guess)}?` : undefined,
        ),
      ];
    }
    case 'too_big':
    case 'too_small':
      return [at(`${field} ${sizeMessage(issue, actual)}`)];
    case 'invalid_union': {
      // A discriminated union (scoring.method) carries the allowed values of its discriminator.
      const options = 'options' in issue && Array.isArray(issue.options) ? issue.options.map(String) : [];
      if (options.length === 0) break;
      const guess = typeof actual === 'string' ? didYouMean(actual, options) : undefined;
      return [
        at(
          `${field} is ${describe(actual)}; expected one of ${options.join(', ')}`,
          guess ? `did you mean ${code(guess)}?` : undefined,
        ),
      ];
    }
    case 'invalid_format':
      return [at(`${field} is ${describe(actual)}: ${issue.message}`)];
    case 'custom':
    case 'invalid_element':
    case 'invalid_key':
    case 'not_multiple_of':
      break;
  }
  return [at(`${field}: ${issue.message}`)];
}

/**
 * Every schema problem, each on its own line and column. A misspelt key is one problem, not two: when an
 * unknown key's suggestion is exactly a required key reported missing, the "missing" report is dropped.
 */
export function schemaIssues(source: SchemaSource, error: z.ZodError): PolicyIssue[] {
  const found = error.issues.flatMap((i) => convert(source, i));
  const meant = new Set(found.flatMap((f) => (f.meant ? [f.meant] : [])));
  return found
    .filter((f) => !(f.missing && meant.has(f.missing)))
    .map((f) => f.issue)
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
