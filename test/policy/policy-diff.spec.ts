import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TINY_CLIP_DIR, clipguard } from '@clipguard/testing';
import { POLICY_V1, POLICY_V2, writeEvalSet } from './fixtures';

const work = mkdtempSync(join(tmpdir(), 'clipguard-diff-'));
const dir = join(work, 'labelled');
const model = ['--model', TINY_CLIP_DIR, '--cache-dir', join(work, 'cache')];
let labels: string;

interface DiffJson {
  changed: number;
  unchanged: number;
  transitions: Record<string, number>;
  volumes: Record<'a' | 'b', { reviewQueue: number; autoBlock: number }>;
  policyChanges: { where: string; change: string; from?: string; to?: string }[];
  rows: { path: string; a: string; b: string; truth: string[]; reasons: string[] }[];
  warning?: string;
}

interface ScanLine {
  file: string;
  verdict?: string;
  categoryScores?: Record<string, number>;
}

/** Verdicts and star scores by file from `scan`: an independent path to what diff should find. */
async function scan(policy: string): Promise<Map<string, ScanLine>> {
  const { stdout } = await clipguard('scan', dir, '--policy', policy, '--json', ...model);
  return new Map(
    stdout
      .split('\n')
      .map((l) => JSON.parse(l) as ScanLine)
      .filter((l) => l.verdict)
      .map((l) => [l.file, l]),
  );
}

beforeAll(async () => {
  labels = await writeEvalSet(dir);
});

describe('clipguard policy diff', () => {
  let json: DiffJson;
  beforeAll(async () => {
    const run = await clipguard(
      'policy',
      'diff',
      POLICY_V1,
      POLICY_V2,
      '--labels',
      labels,
      '--json',
      '--no-strict',
      ...model,
    );
    expect(run.code).toBe(0);
    json = JSON.parse(run.stdout) as DiffJson;
  });

  it('shows the policy edits: thresholds and actions by category id', () => {
    expect(json.policyChanges).toEqual([
      expect.objectContaining({ where: 'description', change: 'changed' }),
      { where: 'categories[star].action', change: 'changed', from: '"review"', to: '"block"' },
      { where: 'categories[star].thresholds.review', change: 'changed', from: '0.4', to: '0.3' },
      { where: 'categories[star].thresholds.block', change: 'changed', from: '0.95', to: '0.6' },
    ]);
  });

  it('finds the same changed verdicts as scanning with each version, each with its reason', async () => {
    const [a, b] = [await scan(POLICY_V1), await scan(POLICY_V2)];
    const expected = [...a.keys()].filter((f) => a.get(f)?.verdict !== b.get(f)?.verdict).sort();
    const changed = json.rows.filter((r) => r.a !== r.b);
    expect(changed.map((r) => r.path).sort()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    for (const r of changed) {
      const star = (b.get(r.path)?.categoryScores?.star ?? 0).toFixed(2);
      // v1 caps star at review by its action; v2 blocks it from 0.6 (or reviews it from 0.3).
      const v1 =
        a.get(r.path)?.verdict === 'allow'
          ? 'allow(<0.4)'
          : Number(star) >= 0.95
            ? 'review(action review)'
            : 'review(0.4)';
      expect(r.reasons).toEqual([`star ${star}: ${v1} → ${r.b}(${r.b === 'block' ? 0.6 : 0.3})`]);
    }
  });

  it('counts review-queue and auto-block volumes on each side, and leaves unchanged transitions out', () => {
    const count = (side: 'a' | 'b', v: string) => json.rows.filter((r) => r[side] === v).length;
    expect(json.volumes).toEqual({
      a: { reviewQueue: count('a', 'review'), autoBlock: count('a', 'block') },
      b: { reviewQueue: count('b', 'review'), autoBlock: count('b', 'block') },
    });
    expect(Object.keys(json.transitions).every((k) => k.split('→')[0] !== k.split('→')[1])).toBe(true);
    expect(Object.values(json.transitions).reduce((x, y) => x + y, 0)).toBe(json.changed);
    expect(json.changed + json.unchanged).toBe(62);
  });

  it('prints the edits, the volumes and each change with its reason as tables', async () => {
    const { stdout } = await clipguard(
      'policy',
      'diff',
      POLICY_V1,
      POLICY_V2,
      '--labels',
      labels,
      '--no-strict',
      ...model,
    );
    expect(stdout).toMatch(
      /^shapes v1 \(sha256:[0-9a-f]{12}\) → shapes v2 \(sha256:[0-9a-f]{12}\)\npolicy changes:\n/,
    );
    expect(stdout).toContain('  categories[star].thresholds.block: 0.95 → 0.6');
    expect(stdout).toMatch(
      /\n\d+ of 62 verdicts change \(\d+ fixed, \d+ broken, by the labels\); \d+ unchanged\n/,
    );
    expect(stdout).toMatch(
      /\nreview queue \d+ \(\d+%\) → \d+ \(\d+%\); auto-block \d+ \(\d+%\) → \d+ \(\d+%\)\n/,
    );
    expect(stdout).toMatch(
      /mislabelled-blue-star\.png +review → block +star 1\.00: review\(action review\) → block\(0\.6\) +clean/,
    );
    expect(stdout).not.toMatch(/allow→allow|review→review|block→block/);
  });

  it('warns when both sides are the same version', async () => {
    const same = await clipguard(
      'policy',
      'diff',
      POLICY_V1,
      POLICY_V1,
      '--labels',
      labels,
      '--no-strict',
      ...model,
    );
    expect(same.stderr).toContain('warning: both sides are shapes v1 (same sha256): nothing can change');
    expect(same.stdout).toContain('policy changes: none');
    const edited = join(work, 'copy', 'shapes');
    mkdirSync(edited, { recursive: true });
    writeFileSync(
      join(edited, 'v1.yaml'),
      readFileSync(POLICY_V1, 'utf8').replace('block: 0.5', 'block: 0.55'),
    );
    const drift = await clipguard(
      'policy',
      'diff',
      POLICY_V1,
      join(edited, 'v1.yaml'),
      '--labels',
      labels,
      '--no-strict',
      ...model,
    );
    expect(drift.stderr).toMatch(
      /warning: both files say shapes v1 but their contents differ \(sha256:[0-9a-f]{12} vs [0-9a-f]{12}\): was a shipped version edited instead of copied to a new version\?/,
    );
  });

  it('compares on a plain image directory, and needs one of --labels or --images', async () => {
    const { code, stdout, stderr } = await clipguard(
      'policy',
      'diff',
      POLICY_V1,
      POLICY_V2,
      '--images',
      dir,
      ...model,
    );
    expect(code).toBe(2); // broken.png is named like an image but is not one
    expect(stdout).toMatch(/\n\d+ of 62 verdicts change; \d+ unchanged\n/);
    expect(stderr).toContain(
      `${join(dir, 'broken.png')}: error[IMAGE_UNSUPPORTED]: not an image: named .png but its bytes are not`,
    );
    expect(stderr).toContain(`${join(dir, 'labels.csv')}: skipped: not an image (text file)`);
    const none = await clipguard('policy', 'diff', POLICY_V1, POLICY_V2, ...model);
    expect(none.code).toBe(4);
    expect(none.stderr).toBe(
      'error[USAGE]: policy diff needs images to compare on\n  hint: add --labels labels.csv or --images DIR',
    );
  });
});
