import type { PolicyIssue } from '../errors';

/**
 * A problem as a compiler reports it (clang's layout): `file:line:col: error: message`, the source line
 * with a caret under the offending key or value, and the fix as a note. `context` shows lines before it.
 */
export function formatIssue(file: string, source: string, issue: PolicyIssue, context = 0): string {
  const where = issue.line ? `${file}:${issue.line}${issue.column ? `:${issue.column}` : ''}` : file;
  const head = `${where}: error: ${issue.message}`;
  const lines = source.split(/\r?\n/);
  const out = [head];
  if (issue.line && issue.line <= lines.length) {
    const first = Math.max(1, issue.line - context);
    const gutter = String(issue.line).length;
    for (let n = first; n <= issue.line; n++) {
      out.push(` ${String(n).padStart(gutter)} | ${lines[n - 1]}`);
    }
    const column = Math.max(1, issue.column ?? 1);
    const length = Math.max(1, Math.min(issue.length ?? 1, lines[issue.line - 1].length - column + 1));
    out.push(` ${' '.repeat(gutter)} | ${' '.repeat(column - 1)}^${'~'.repeat(length - 1)}`);
  }
  if (issue.hint) out.push(`  hint: ${issue.hint}`);
  if (issue.note) out.push(`  note: ${issue.note}`);
  return out.join('\n');
}

/** Every issue of a file, then a count; the first line alone still says what and where. */
export function formatIssues(
  file: string,
  source: string,
  issues: readonly PolicyIssue[],
  context = 0,
): string {
  const blocks = issues.map((i) => formatIssue(file, source, i, context));
  const count = issues.length === 1 ? '1 error' : `${issues.length} errors`;
  return `${blocks.join('\n\n')}\n${count} in ${file}`;
}
