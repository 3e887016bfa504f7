import { createHash } from 'node:crypto';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { PolicyError, type PolicyIssue } from './errors';
import { policySchema, type Policy } from './schema';

export interface ParsedPolicy {
  policy: Policy;
  /** sha256 of the canonical JSON of the parsed policy: formatting and comments do not change it. */
  hash: string;
  file: string;
}

function lineOf(doc: Document, counter: LineCounter, path: (string | number)[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node: unknown = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
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

function fail(file: string, issues: PolicyIssue[]): never {
  const lines = issues.map(
    (i) => `  ${file}${i.line ? `:${i.line}` : ''} ${i.path || '(root)'}: ${i.message}`,
  );
  throw new PolicyError('POLICY_INVALID', `invalid policy ${file}:\n${lines.join('\n')}`, file, issues);
}

/** Parses and validates policy YAML; errors name the file, the field path and the line. */
export function parsePolicy(text: string, file: string): ParsedPolicy {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) {
    fail(
      file,
      doc.errors.map((e) => ({
        path: '',
        line: counter.linePos(e.pos[0]).line,
        message: e.message.split('\n')[0],
      })),
    );
  }
  const parsed = policySchema.safeParse(doc.toJS());
  if (!parsed.success) {
    fail(
      file,
      parsed.error.issues.map((i) => {
        const path = i.path.filter((p): p is string | number => typeof p !== 'symbol');
        return { path: path.join('.'), line: lineOf(doc, counter, path), message: i.message };
      }),
    );
  }
  return { policy: parsed.data, hash: policyHash(parsed.data), file };
}
