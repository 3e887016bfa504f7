import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePolicy } from '@clipguard/policy';
import { TINY_CLIP_DIR, clipguard, clipguardWith } from '@clipguard/testing';
import { POLICY_DIR, POLICY_V1, writeEvalSet } from './fixtures';

const work = mkdtempSync(join(tmpdir(), 'clipguard-eval-'));
const dir = join(work, 'labelled');
const model = ['--model', TINY_CLIP_DIR, '--cache-dir', join(work, 'cache'), '--resamples', '200'];
let labels: string;

interface Advice {
  threshold: number;
  low: number;
  high: number;
  gapLow: number;
  gapHigh: number;
}
interface Report {
  provenance: {
    command: string;
    labels: { file: string; sha256: string; rows: number; evaluated: number };
    policy: { id: string; version: number; hash: string };
    model: string;
    date: string;
  };
  skipped: { path: string; line: number; code: string }[];
  categories: {
    id: string;
    advice: { review: Advice | null; block: Advice | null; warnings: string[] };
    falsePositives: { path: string }[];
    falseNegatives: { path: string }[];
  }[];
  ablation?: { contribution: number }[];
}

beforeAll(async () => {
  labels = await writeEvalSet(dir);
});

const readReport = (out: string) => JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;

describe('clipguard policy eval', () => {
  const out = join(work, 'eval');
  let run: Awaited<ReturnType<typeof clipguard>>;
  beforeAll(async () => {
    run = await clipguard(
      'policy',
      'eval',
      '--policy',
      POLICY_V1,
      '--labels',
      labels,
      '--out',
      out,
      '--ablate',
      '--no-strict',
      ...model,
    );
  });

  it('says how many labelled images were evaluated, and lists each skipped row by file and line', () => {
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      `${labels}:64: ${join(dir, 'gone-1.png')}: skipped: no such file or directory (ENOENT)`,
    );
    expect(run.stderr).toContain(
      `${labels}:66: ${join(dir, 'broken.png')}: skipped: not a JPEG, PNG, WebP, GIF, TIFF or AVIF image (IMAGE_UNSUPPORTED)`,
    );
    expect(run.stderr).toContain('62 of 65 labelled images evaluated (3 skipped, listed above)');
    expect(run.stdout).toMatch(
      /\npolicy shapes v1 \(sha256:[0-9a-f]{12}\): 62 of 65 labelled images evaluated$/,
    );
  });

  it('prints metrics with their intervals, and advice for review and block with intervals, volumes and warnings', () => {
    expect(run.stdout).toMatch(
      /\nred +\d+\/\d+ +\d\.\d\d \[\d\.\d\d, \d\.\d\d\] +\d\.\d\d \[\d\.\d\d, \d\.\d\d\]/,
    );
    expect(run.stdout).toMatch(
      /\nred +0\.3 → 0\.\d\d \[0\.\d\d, 0\.\d\d\] +0\.5 → 0\.\d\d \[0\.\d\d, 0\.\d\d\] +\d+ \(\d+%\) → \d+ \(\d+%\) +\d+ \(\d+%\) → \d+ \(\d+%\)\n/,
    );
    // The blue star labelled clean keeps star's precision under 0.9 at every threshold, and the green
    // square labelled star drags the review threshold down: the advice says both.
    expect(run.stdout).toMatch(/\nstar +0\.4 → 0\.\d+ \[0\.\d+, 0\.\d+\] +0\.95 → not reachable /);
    expect(run.stdout).toContain('  warning: star: no threshold reaches precision 0.9 for block');
    expect(run.stdout).toMatch(
      / {2}warning: star: the advised review threshold sends \d+% of images to review/,
    );
    expect(run.stdout).toMatch(
      / {2}warning: star: small sample: \d+ positive and \d+ negative images \(fewer than 30\)/,
    );
    expect(run.stdout).toMatch(
      /\nwhole policy: review queue \d+ \(\d+%\) → \d+ \(\d+%\), auto-block \d+ \(\d+%\) → \d+ \(\d+%\)/,
    );
  });

  it('records provenance: command, labels file and hash, policy id, version and hash, model, date', () => {
    const report = readReport(out);
    const p = report.provenance;
    expect(p.command).toBe(
      `clipguard policy eval --policy ${POLICY_V1} --labels ${labels} --out ${out} --ablate --no-strict ${model.join(' ')}`,
    );
    expect(p.labels).toEqual({
      file: labels,
      sha256: createHash('sha256').update(readFileSync(labels)).digest('hex'),
      rows: 65,
      evaluated: 62,
    });
    const policy = parsePolicy(readFileSync(POLICY_V1, 'utf8'), POLICY_V1);
    expect(p.policy).toMatchObject({ id: 'shapes', version: 1, hash: policy.hash });
    expect(p.model).toMatch(/^tiny-clip\/fp32@[0-9a-f]{16}$/);
    expect(Math.abs(Date.parse(p.date) - Date.now())).toBeLessThan(10 * 60_000);
    expect(report.skipped.map((s) => [s.line, s.code])).toEqual([
      [64, 'ENOENT'],
      [65, 'ENOENT'],
      [66, 'IMAGE_UNSUPPORTED'],
    ]);
  });

  it('advises the red block threshold in the middle of the gap between negatives and positives, not on the lowest positive', async () => {
    // The scores come from an independent path: scan's decisions for the same images.
    const scan = await clipguard(
      'scan',
      dir,
      '--policy',
      POLICY_V1,
      '--json',
      '--model',
      TINY_CLIP_DIR,
      '--cache-dir',
      join(work, 'cache'),
    );
    const truth = new Map(
      readFileSync(labels, 'utf8')
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((l) => [join(dir, l.split(',')[0]), l.split(',')[1] ?? ''] as const),
    );
    const red = scan.stdout
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string; categoryScores?: Record<string, number> })
      .filter((l) => l.categoryScores && truth.has(l.file))
      .map((l) => ({
        score: l.categoryScores?.red ?? 0,
        positive: (truth.get(l.file) ?? '').split(';').includes('red'),
      }));
    const lowestPositive = Math.min(...red.filter((r) => r.positive).map((r) => r.score));
    const highestNegative = Math.max(...red.filter((r) => !r.positive).map((r) => r.score));
    expect(highestNegative).toBeLessThan(lowestPositive); // the tiny CLIP separates red perfectly
    const block = readReport(out).categories.find((c) => c.id === 'red')?.advice.block;
    expect(block?.gapLow).toBeCloseTo(highestNegative, 6);
    expect(block?.gapHigh).toBeCloseTo(lowestPositive, 6);
    expect(block?.threshold).toBeCloseTo((highestNegative + lowestPositive) / 2, 6);
    expect(block?.low).toBeLessThanOrEqual(block?.high ?? 0);
  });

  it("lists each category's mistakes, including a miss hidden at verdict level", () => {
    const star = readReport(out).categories.find((c) => c.id === 'star');
    expect(star?.falsePositives.map((m) => m.path)).toContain(join(dir, 'mislabelled-blue-star.png'));
    expect(star?.falseNegatives.map((m) => m.path)).toContain(join(dir, 'mislabelled-green-square.png'));
  });

  it('sorts the prompt ablation by effect', () => {
    const effects = (readReport(out).ablation ?? []).map((a) => Math.abs(a.contribution));
    expect(effects.length).toBe(13);
    expect(effects).toEqual([...effects].sort((a, b) => b - a));
  });

  it('fails under --strict, and by default under CI, when a row is skipped (exit 2), still writing the report', async () => {
    const strict = await clipguard(
      'policy',
      'eval',
      '--policy',
      POLICY_V1,
      '--labels',
      labels,
      '--strict',
      '--out',
      join(work, 'strict'),
      ...model,
    );
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain('error[ROWS_SKIPPED]: --strict: 3 labelled images were skipped');
    expect(readReport(join(work, 'strict')).provenance.labels.evaluated).toBe(62);
    const ci = await clipguardWith(
      { env: { CI: 'true' } },
      'policy',
      'eval',
      '--policy',
      POLICY_V1,
      '--labels',
      labels,
      ...model,
    );
    expect(ci.code).toBe(2);
    const lenient = await clipguardWith(
      { env: { CI: 'true' } },
      'policy',
      'eval',
      '--policy',
      POLICY_V1,
      '--labels',
      labels,
      '--no-strict',
      ...model,
    );
    expect(lenient.code).toBe(0);
    const local = await clipguardWith(
      { env: { CI: undefined } },
      'policy',
      'eval',
      '--policy',
      POLICY_V1,
      '--labels',
      labels,
      ...model,
    );
    expect(local.code).toBe(0);
  });

  it('names the version it evaluated when given a policy directory', async () => {
    const { stderr, stdout } = await clipguard(
      'policy',
      'eval',
      '--policy',
      POLICY_DIR,
      '--labels',
      labels,
      '--no-strict',
      ...model,
    );
    const v2 = parsePolicy(readFileSync(join(POLICY_DIR, 'v2.yaml'), 'utf8'), 'v2.yaml');
    expect(stderr).toContain(
      `evaluating policy shapes v2 (sha256:${v2.hash.slice(0, 12)}) from ${join(POLICY_DIR, 'v2.yaml')} on tiny-clip/fp32@`,
    );
    expect(stdout).toContain(
      `policy shapes v2 (sha256:${v2.hash.slice(0, 12)}): 62 of 65 labelled images evaluated`,
    );
  });
});
