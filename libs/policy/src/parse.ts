import { createHash } from 'node:crypto';
import { LineCounter, parseDocument } from 'yaml';
import { formatIssues } from './diagnostics/format';
import { schemaIssues } from './diagnostics/schema-issues';
import { syntaxIssue } from './diagnostics/yaml-syntax';
import { PolicyError, type PolicyIssue } from './errors';
import { policySchema, type Policy } from './schema';

export interface ParsedPolicy {
  policy: Policy;
  /** sha256 of the canonical JSON of the parsed policy: formatting and comments do not change it. */
  hash: string;
  file: string;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .filter((k) => k !== '$schema')
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function policyHash(policy: Policy): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(policy)))
    .digest('hex');
}

/** Refuses the file with every issue laid out as a compiler would (see diagnostics/format). */
function fail(file: string, source: string, issues: PolicyIssue[], context = 0): never {
  throw new PolicyError('POLICY_INVALID', formatIssues(file, source, issues, context), file, issues);
}

/**
 * Parses and validates policy YAML. Each problem names its own line and column (the key itself for an
 * unknown key, with a "did you mean"), categories by id, and shows the line with a caret; a YAML syntax
 * error is reported once, where the parser first lost its way.
 */
export function parsePolicy(text: string, file: string): ParsedPolicy {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) fail(file, text, [syntaxIssue(doc.errors, counter)], 2);
  const value: unknown = doc.toJS();
  const parsed = policySchema.safeParse(value);
  if (!parsed.success) {
    fail(file, text, schemaIssues({ doc, counter, value, schema: policySchema }, parsed.error));
  }
  return { policy: parsed.data, hash: policyHash(parsed.data), file };
}
