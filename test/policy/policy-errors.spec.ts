import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TINY_CLIP_DIR, clipguard } from '@clipguard/testing';
import { POLICY_V1, writeLabelledSet } from './fixtures';

const work = mkdtempSync(join(tmpdir(), 'clipguard-policy-errors-'));
const source = readFileSync(POLICY_V1, 'utf8');

/** Writes policy v1 edited by `edit` as shapes/v<version>.yaml (the path must match id and version). */
function badPolicy(version: number, edit: (text: string) => string): string {
  const dir = join(work, 'bad', 'shapes');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `v${version}.yaml`);
  writeFileSync(file, edit(source.replace('version: 1', `version: ${version}`)));
  return file;
}

let labels: string;
beforeAll(async () => {
  labels = await writeLabelledSet(
    join(work, 'labelled'),
    [{ shape: 'star', colour: 'blue', size: 'large' }],
    4,
  );
});

describe('clipguard policy validate: errors like a compiler', () => {
  it('puts a misspelt key on its own line and column, once, with "did you mean", naming the category by id', async () => {
    const file = badPolicy(3, (t) =>
      t.replace(
        '    thresholds: { review: 0.4, block: 0.95 }',
        '    threshold: { review: 0.4, block: 0.95 }',
      ),
    );
    const { code, stdout, stderr } = await clipguard('policy', 'validate', file);
    expect(code).toBe(1);
    expect(stdout).toBe(`error  ${file}`);
    expect(stderr.split('\n')).toEqual([
      `${file}:38:5: error: unknown key \`threshold\` in categories[star]`,
      ' 38 |     threshold: { review: 0.4, block: 0.95 }',
      '    |     ^~~~~~~~~',
      '  hint: did you mean `thresholds`?',
      `1 error in ${file}`,
    ]);
  });

  it('reports a misspelt top-level key where it is, not on line 2', async () => {
    const file = badPolicy(4, (t) => t.replace('scoring:', 'scoreing:'));
    const { code, stderr } = await clipguard('policy', 'validate', file);
    expect(code).toBe(1);
    expect(stderr.split('\n').slice(0, 4)).toEqual([
      `${file}:11:1: error: unknown key \`scoreing\``,
      ' 11 | scoreing:',
      '    | ^~~~~~~~',
      '  hint: did you mean `scoring`?',
    ]);
  });

  it('reports a YAML syntax error once, with the lines before it, a caret and a fix', async () => {
    const file = badPolicy(5, (t) =>
      t.replace('thresholds: { review: 0.3, block: 0.5 }', 'thresholds: { review: 0.3, block: 0.5'),
    );
    const { code, stderr } = await clipguard('policy', 'validate', file);
    expect(code).toBe(1);
    expect(stderr.split('\n')).toEqual([
      `${file}:26:3: error: YAML syntax: Flow map in block collection must be sufficiently indented and end with a }`,
      " 24 |       - 'a red heart'",
      ' 25 |     thresholds: { review: 0.3, block: 0.5',
      ' 26 |   - id: star',
      '    |   ^',
      '  hint: a `{` above is not closed: add the `}` at the end of its line',
      '  note: 8 more parser errors after this one left out: they usually follow from it',
      `1 error in ${file}`,
    ]);
  });

  it('checks every version in a directory and says ok for the valid ones', async () => {
    const { code, stdout } = await clipguard('policy', 'validate', join(work, 'bad'));
    expect(code).toBe(1);
    expect(stdout.split('\n').filter((l) => l.startsWith('error'))).toHaveLength(3);
    const ok = await clipguard('policy', 'validate', POLICY_V1);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      /^ok {5}.*v1\.yaml {2}shapes v1 {2}2 categories {2}softmax {2}sha256:[0-9a-f]{12}$/,
    );
  });
});

describe('file problems: a code and a fix', () => {
  const model = ['--model', TINY_CLIP_DIR];

  it('a missing policy path', async () => {
    const missing = join(work, 'policies', 'nope');
    for (const argv of [
      ['policy', 'validate', missing],
      ['scan', labels.replace('labels.csv', ''), '--policy', missing, ...model],
      ['policy', 'eval', '--policy', missing, '--labels', labels, ...model],
    ]) {
      const { code, stderr } = await clipguard(...argv);
      expect(code).toBe(4);
      expect(stderr).toBe(
        `error[POLICY_NOT_FOUND]: ${missing}: no such policy file or directory\n  hint: give a policy file (policies/<id>/v<N>.yaml) or a policy directory (policies/<id>: its newest version)`,
      );
    }
  });

  it('a missing labels CSV', async () => {
    const missing = join(work, 'labels-nope.csv');
    const { code, stderr } = await clipguard(
      'policy',
      'eval',
      '--policy',
      POLICY_V1,
      '--labels',
      missing,
      ...model,
    );
    expect(code).toBe(4);
    expect(stderr).toBe(
      `error[LABELS_NOT_FOUND]: ${missing}: no such labels file\n  hint: a labels CSV has a header "path,categories"; categories are separated by ";", empty for an allowed image`,
    );
  });

  it('a CSV with "," where ";" separates categories names the file and line', async () => {
    const csv = join(work, 'commas.csv');
    writeFileSync(csv, 'path,categories\na.png,\nb.png,red,star\n');
    const { code, stderr } = await clipguard(
      'policy',
      'eval',
      '--policy',
      POLICY_V1,
      '--labels',
      csv,
      ...model,
    );
    expect(code).toBe(4);
    expect(stderr).toBe(
      `error[LABELS_INVALID]: ${csv}:3: 3 fields, but the header has 2 (path,categories)\n  hint: separate categories with ";", not ",": red;star`,
    );
  });

  it('a label naming a category the policy lacks', async () => {
    const csv = join(work, 'unknown.csv');
    writeFileSync(csv, 'path,categories\na.png,stars\n');
    const { code, stderr } = await clipguard(
      'policy',
      'eval',
      '--policy',
      POLICY_V1,
      '--labels',
      csv,
      ...model,
    );
    expect(code).toBe(4);
    expect(stderr).toBe(
      `error[LABELS_UNKNOWN_CATEGORY]: ${csv}:2: category "stars" is not in the policy (it has red, star)\n  hint: did you mean "star"?`,
    );
  });
});
