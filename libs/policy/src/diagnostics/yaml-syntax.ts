import type { LineCounter, YAMLError } from 'yaml';
import type { PolicyIssue } from '../errors';

/** The fix for the YAML mistakes people make most in policy files, keyed on the parser's wording. */
function hintFor(error: YAMLError): string | undefined {
  const m = error.message;
  if (/end with a \}/.test(m)) return 'a `{` above is not closed: add the `}` at the end of its line';
  if (/end with a \]/.test(m)) return 'a `[` above is not closed: add the `]` at the end of its line';
  if (/closing .*quote/i.test(m)) return 'close the quoted text with the same quote it opens with';
  if (error.code === 'TAB_AS_INDENT') return 'indent with spaces, not tabs';
  if (error.code === 'BAD_INDENT' || /implicit map key|same column/i.test(m))
    return 'check this line is indented like its siblings (list items under `categories:` start with `  - `)';
  if (error.code === 'DUPLICATE_KEY')
    return 'each key may appear once per mapping: remove or merge the other one';
  return undefined;
}

/**
 * One issue for a YAML syntax error. Only the parser's first complaint is reported: the ones after it
 * are nearly always the same mistake seen again from later lines.
 */
export function syntaxIssue(errors: readonly YAMLError[], counter: LineCounter): PolicyIssue {
  const first = errors[0];
  const { line, col } = counter.linePos(first.pos[0]);
  const more = errors.length - 1;
  return {
    path: '',
    field: '(YAML syntax)',
    line,
    column: col,
    length: 1,
    message: `YAML syntax: ${first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
    hint: hintFor(first),
    note:
      more > 0
        ? `${more} more parser error${more > 1 ? 's' : ''} after this one left out: they usually follow from it`
        : undefined,
  };
}
