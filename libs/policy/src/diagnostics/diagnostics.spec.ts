import { PolicyError } from '../errors';
import { parsePolicy } from '../parse';
import { policySchema } from '../schema';
import { didYouMean } from './did-you-mean';
import { formatIssue, formatIssues } from './format';
import { knownKeys } from './schema-keys';

const valid = `id: demo
version: 3
description: a demo
model: { name: tiny }
templates: ["{}"]
scoring: { method: softmax }
benign: ["a cat"]
categories:
  - id: red
    title: Red
    severity: high
    prompts: ["a red star"]
    thresholds: { review: 0.3, block: 0.6 }
  - id: star
    title: Star
    severity: low
    prompts: ["a star"]
    thresholds: { review: 0.4, block: 0.9 }
`;

function refused(text: string): PolicyError {
  try {
    parsePolicy(text, 'p.yaml');
  } catch (err) {
    if (err instanceof PolicyError) return err;
    throw err;
  }
  throw new Error('expected the policy to be refused');
}

describe('didYouMean', () => {
  it('keeps the first of equally near candidates', () => {
    expect(didYouMean('colr', ['colour', 'color', 'col'])).toBe('color');
    expect(didYouMean('cat', ['bat', 'hat'])).toBe('bat');
  });

  it('suggests the nearest candidate within a third of the word, and nothing for unrelated words', () => {
    expect(didYouMean('threshold', ['title', 'thresholds', 'prompts'])).toBe('thresholds');
    expect(didYouMean('scoreing', ['scoring', 'categories'])).toBe('scoring');
    expect(didYouMean('Severity', ['severity'])).toBe('severity');
    expect(didYouMean('colour', ['title', 'thresholds', 'prompts'])).toBeUndefined();
  });
});

describe('knownKeys', () => {
  it('walks arrays, lazy categories and the scoring union', () => {
    expect(knownKeys(policySchema, [])).toEqual(expect.arrayContaining(['scoring', 'categories', 'benign']));
    expect(knownKeys(policySchema, [])).not.toContain('$schema');
    expect(knownKeys(policySchema, ['categories', 0])).toEqual(
      expect.arrayContaining(['thresholds', 'prompts', 'children']),
    );
    expect(knownKeys(policySchema, ['categories', 0, 'children', 1, 'thresholds'])).toEqual([
      'review',
      'block',
    ]);
    expect(knownKeys(policySchema, ['scoring'])).toEqual(
      expect.arrayContaining(['method', 'default_threshold', 'special_care']),
    );
  });
});

describe('policy diagnostics', () => {
  it('reports a misspelt key once, on its own line and column, naming the category by id', () => {
    const err = refused(valid.replace('    thresholds: { review: 0.4', '    threshold: { review: 0.4'));
    expect(err.issues).toEqual([
      expect.objectContaining({
        path: 'categories.1.threshold',
        field: 'categories[star].threshold',
        line: 18,
        column: 5,
        length: 9,
        message: 'unknown key `threshold` in categories[star]',
        hint: 'did you mean `thresholds`?',
      }),
    ]);
    expect(err.message.split('\n')).toEqual([
      'p.yaml:18:5: error: unknown key `threshold` in categories[star]',
      ' 18 |     threshold: { review: 0.4, block: 0.9 }',
      '    |     ^~~~~~~~~',
      '  hint: did you mean `thresholds`?',
      '1 error in p.yaml',
    ]);
  });

  it('points at a misspelt top-level key, not the first line', () => {
    const err = refused(valid.replace('scoring:', 'scoreing:'));
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatchObject({ line: 6, column: 1, hint: 'did you mean `scoring`?' });
  });

  it('lists what is allowed when no key is close, and places a missing key on its mapping', () => {
    const unknown = refused(valid.replace('    title: Red', '    title: Red\n    colour: red'));
    expect(unknown.issues[0]).toMatchObject({
      line: 11,
      column: 5,
      message: 'unknown key `colour` in categories[red]',
    });
    // Only keys the category does not already have are offered.
    expect(unknown.issues[0].hint).toBe('allowed here: description, action, contrast, children');
    const missing = refused(valid.replace('    thresholds: { review: 0.3, block: 0.6 }\n', ''));
    expect(missing.issues).toEqual([
      expect.objectContaining({
        line: 9,
        column: 5,
        message: 'missing required key `thresholds` in categories[red]',
      }),
    ]);
  });

  it('explains bad values with their range or choices and a suggestion', () => {
    const big = refused(valid.replace('block: 0.6', 'block: 1.6'));
    expect(big.issues[0]).toMatchObject({
      line: 13,
      column: 39,
      message: 'categories[red].thresholds.block must be at most 1, not 1.6',
    });
    const severity = refused(valid.replace('severity: low', 'severity: meduim'));
    expect(severity.issues[0]).toMatchObject({
      line: 16,
      message: 'categories[star].severity is the text "meduim"; expected one of low, medium, high, critical',
      hint: 'did you mean `medium`?',
    });
    const method = refused(valid.replace('method: softmax', 'method: sofmax'));
    expect(method.issues[0]).toMatchObject({
      line: 6,
      field: 'scoring.method',
      hint: 'did you mean `softmax`?',
    });
  });

  it('reports a YAML syntax error once, with the lines before it, a caret and a fix', () => {
    const err = refused(
      valid.replace('thresholds: { review: 0.3, block: 0.6 }', 'thresholds: { review: 0.3, block: 0.6'),
    );
    expect(err.issues).toHaveLength(1);
    const lines = err.message.split('\n');
    expect(lines[0]).toMatch(/^p\.yaml:14:3: error: YAML syntax: Flow map .*end with a \}$/);
    expect(lines.slice(1, 5)).toEqual([
      ' 12 |     prompts: ["a red star"]',
      ' 13 |     thresholds: { review: 0.3, block: 0.6',
      ' 14 |   - id: star',
      '    |   ^',
    ]);
    expect(lines[5]).toBe('  hint: a `{` above is not closed: add the `}` at the end of its line');
    expect(lines[6]).toMatch(/^ {2}note: \d+ more parser errors after this one left out/);
  });
});

describe('schema issues, as a person reads them', () => {
  const text40 = 'x'.repeat(40);
  it.each([
    [
      'a list for a mapping',
      valid.replace('model: { name: tiny }', 'model: [tiny]'),
      'model should be a mapping, not a list',
    ],
    [
      'a mapping for a list',
      valid.replace('benign: ["a cat"]', 'benign: { a: cat }'),
      'benign should be a list, not a mapping',
    ],
    [
      'null',
      valid.replace('description: a demo', 'description: null'),
      'description should be a string, not null',
    ],
    [
      'a number for text',
      valid.replace('title: Red', 'title: 12'),
      'categories[red].title should be a string, not the number 12',
    ],
    [
      'a boolean for a number',
      valid.replace('review: 0.3', 'review: true'),
      'categories[red].thresholds.review should be a number, not the value true',
    ],
    [
      'a long text, cut at 40 characters',
      valid.replace('version: 3', `version: "${text40}y"`),
      `version should be a number, not the text "${text40}…"`,
    ],
    [
      'a text of 40 characters, whole',
      valid.replace('version: 3', `version: "${text40}"`),
      `version should be a number, not the text "${text40}"`,
    ],
    [
      'an empty list',
      valid.replace('prompts: ["a red star"]', 'prompts: []'),
      'categories[red].prompts needs at least 1 item',
    ],
    [
      'an empty title',
      valid.replace('title: Red', 'title: ""'),
      'categories[red].title must be at least 1 character long',
    ],
    [
      'an over-long prompt',
      valid.replace('"a red star"', `"${'x'.repeat(301)}"`),
      'categories[red].prompts[0] must be at most 300 characters long',
    ],
    [
      'a threshold over 1',
      valid.replace('block: 0.6', 'block: 1.5'),
      'categories[red].thresholds.block must be at most 1, not 1.5',
    ],
    [
      'an id in the wrong form',
      valid.replace('id: red', 'id: Red Star'),
      'categories[Red Star].id is the text "Red Star": lower-case letters, digits, "_" or "-", starting with a letter',
    ],
    [
      'a number for a choice',
      valid.replace('severity: high', 'severity: 3'),
      'categories[red].severity is the number 3; expected one of low, medium, high, critical',
    ],
  ])('explains %s', (_, text, message) => {
    const issues = refused(text).issues;
    expect(issues.map((i) => i.message)).toEqual([message]);
    expect(issues[0].hint).toBeUndefined();
  });

  it.each([
    [
      'a file that is not a mapping',
      '- a\n- b\n',
      {
        path: '',
        field: '(top level)',
        line: 1,
        column: 1,
        length: 1,
        message: '(top level) should be a mapping, not a list',
      },
    ],
    [
      'a value over several lines, underlined on its first character',
      valid.replace('benign: ["a cat"]', 'benign:\n  a: cat\n  b: dog'),
      { path: 'benign', line: 8, column: 3, length: 1, message: 'benign should be a list, not a mapping' },
    ],
    [
      "a missing key, on its mapping's first key",
      valid.replace('    title: Red\n', ''),
      {
        path: 'categories.0.title',
        line: 9,
        column: 5,
        length: 2,
        message: 'missing required key `title` in categories[red]',
      },
    ],
    [
      'a missing top-level key, on the first line',
      valid.replace('description: a demo\n', ''),
      { path: 'description', line: 1, column: 1, length: 2, message: 'missing required key `description`' },
    ],
    [
      'a missing key in an empty mapping, on the mapping',
      valid.replace('model: { name: tiny }', 'model: {}'),
      { path: 'model.name', line: 4, column: 8, length: 2, message: 'missing required key `name` in model' },
    ],
    [
      'an unknown nested key, on the key, with what is left to add',
      valid.replace('model: { name: tiny }', 'model: { name: tiny, nmae: x }'),
      {
        path: 'model.nmae',
        line: 4,
        column: 22,
        length: 4,
        message: 'unknown key `nmae` in model',
        hint: 'allowed here: id',
      },
    ],
    [
      'a list item whose id is not text, by its index',
      valid.replace('id: red', 'id: 7'),
      {
        field: 'categories[0].id',
        line: 9,
        column: 9,
        length: 1,
        message: 'categories[0].id should be a string, not the number 7',
      },
    ],
  ])('places %s', (_, text, expected) => {
    expect(refused(text).issues).toEqual([expect.objectContaining(expected)]);
  });

  it('suggests the nearest choice for a misspelt one', () => {
    expect(refused(valid.replace('severity: high', 'severity: hgh')).issues[0]).toMatchObject({
      message: 'categories[red].severity is the text "hgh"; expected one of low, medium, high, critical',
      hint: 'did you mean `high`?',
      line: 11,
      column: 15,
    });
  });

  it('lists several issues in file order, whatever order the schema checks them in', () => {
    const text = `${valid.replace('description: a demo\n', '').replace('title: Red', 'title: 12')}description: null\n`;
    const lineOf = (start: string) => text.split('\n').findIndex((l) => l.trimStart().startsWith(start)) + 1;
    expect(refused(text).issues.map((i) => [i.line, i.path])).toEqual([
      [lineOf('title: 12'), 'categories.0.title'],
      [lineOf('description:'), 'description'],
    ]);
    expect(lineOf('title: 12')).toBeLessThan(lineOf('description:'));
  });
});

describe('YAML syntax errors', () => {
  const note = (n: number) =>
    `${n} more parser error${n > 1 ? 's' : ''} after this one left out: they usually follow from it`;
  const indentHint =
    'check this line is indented like its siblings (list items under `categories:` start with `  - `)';
  it.each([
    [
      'an unclosed quote',
      valid.replace('description: a demo', 'description: "a demo'),
      {
        line: 3,
        column: 21,
        message: 'YAML syntax: Missing closing "quote',
        hint: 'close the quoted text with the same quote it opens with',
        note: undefined,
      },
    ],
    [
      'an unclosed flow sequence',
      valid.replace('benign: ["a cat"]', 'benign: ["a cat"'),
      {
        line: 8,
        column: 1,
        hint: 'a `[` above is not closed: add the `]` at the end of its line',
        note: undefined,
      },
    ],
    [
      'a tab as indentation',
      valid.replace('  - id: red', '\t- id: red'),
      {
        line: 9,
        column: 1,
        message: 'YAML syntax: Tabs are not allowed as indentation',
        hint: 'indent with spaces, not tabs',
        note: note(10),
      },
    ],
    [
      'a key out of line with its siblings',
      valid.replace('    title: Red', '    title: Red\n  nonsense'),
      {
        line: 11,
        column: 1,
        message: 'YAML syntax: All mapping items must start at the same column',
        hint: indentHint,
        note: note(7),
      },
    ],
    [
      'a duplicate key',
      valid.replace('version: 3', 'version: 3\nversion: 4'),
      {
        line: 3,
        column: 1,
        message: 'YAML syntax: Map keys must be unique',
        hint: 'each key may appear once per mapping: remove or merge the other one',
        note: undefined,
      },
    ],
    [
      'a value with a second colon, past line and column 9',
      valid.replace('    severity: high', '    severity: high: low'),
      {
        line: 11,
        column: 15,
        message: 'YAML syntax: Nested mappings are not allowed in compact mappings',
        hint: undefined,
        note: undefined,
      },
    ],
    [
      'a mistake the parser reports twice',
      valid.replace('    title: Red', '      title: Red'),
      { line: 9, column: 9, hint: undefined, note: note(1) },
    ],
  ])("reports %s on its line with the fix, without the parser's own position", (_, text, expected) => {
    const [issue] = refused(text).issues;
    expect(issue).toMatchObject({ path: '', field: '(YAML syntax)', length: 1, ...expected });
    expect(issue.message).not.toMatch(/ at line \d/);
  });
});

describe('formatIssue', () => {
  it('lays out file:line:col, the source line, a caret under the span, the hint', () => {
    const text = formatIssue('f.yaml', 'a: 1\nbb: 2\n', {
      path: 'bb',
      line: 2,
      column: 1,
      length: 2,
      message: 'unknown key `bb`',
      hint: 'did you mean `b`?',
    });
    expect(text).toBe('f.yaml:2:1: error: unknown key `bb`\n 2 | bb: 2\n   | ^~\n  hint: did you mean `b`?');
    expect(formatIssue('f.yaml', '', { path: '', message: 'empty' })).toBe('f.yaml: error: empty');
  });
});

describe('formatIssues', () => {
  const source = 'a: 1\nbb: 2\n';
  it('counts one error or several, after every issue', () => {
    expect(
      formatIssues('f.yaml', source, [{ path: 'a', line: 1, column: 1, length: 1, message: 'bad a' }]),
    ).toBe('f.yaml:1:1: error: bad a\n 1 | a: 1\n   | ^\n1 error in f.yaml');
    const two = formatIssues('f.yaml', source, [
      { path: 'a', message: 'bad a' },
      { path: 'bb', message: 'bad bb' },
    ]);
    expect(two).toBe('f.yaml: error: bad a\n\nf.yaml: error: bad bb\n2 errors in f.yaml');
  });

  it('cuts the underline at the end of the line, shows the last line, and skips a line past the end', () => {
    expect(formatIssue('f.yaml', source, { path: 'bb', line: 2, column: 2, length: 9, message: 'm' })).toBe(
      'f.yaml:2:2: error: m\n 2 | bb: 2\n   |  ^~~~',
    );
    expect(formatIssue('f.yaml', 'a: 1\nbb: 2', { path: 'bb', line: 2, message: 'm' })).toBe(
      'f.yaml:2: error: m\n 2 | bb: 2\n   | ^',
    );
    expect(formatIssue('f.yaml', 'a: 1', { path: 'x', line: 3, column: 1, message: 'm' })).toBe(
      'f.yaml:3:1: error: m',
    );
  });

  it('is a PolicyError by name, carrying its issues', () => {
    const err = new PolicyError('POLICY_INVALID', 'bad', 'f.yaml');
    expect(err.name).toBe('PolicyError');
    expect(err.issues).toEqual([]);
  });
});
