import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  REPO_ROOT,
  SHARED_IMAGES,
  TINY_CLIP_DIR,
  clipguard,
  renderScene,
  rng,
  type Scene,
} from '@clipguard/testing';

const POLICY_V1 = join(REPO_ROOT, 'test/fixtures/policies/shapes/v1.yaml');
const POLICY_V2 = join(REPO_ROOT, 'test/fixtures/policies/shapes/v2.yaml');
const work = mkdtempSync(join(tmpdir(), 'clipguard-policy-'));
const cacheDir = join(work, 'cache');
const model = ['--model', TINY_CLIP_DIR, '--cache-dir', cacheDir];

interface ScanLine {
  file: string;
  verdict?: string;
  reasons?: { category: string }[];
  policy?: { id: string; version: number; hash: string };
  modelId?: string;
  code?: string;
}

/** Writes one image per scene into dir; returns the paths. */
async function writeScenes(dir: string, scenes: Scene[], seed: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const random = rng(seed);
  const paths: string[] = [];
  for (const [i, s] of scenes.entries()) {
    const path = join(dir, `${String(i).padStart(3, '0')}-${s.colour}-${s.shape}.png`);
    writeFileSync(path, await renderScene(s, random));
    paths.push(path);
  }
  return paths;
}

const SCAN_SCENES: Scene[] = [
  { shape: 'circle', colour: 'red', size: 'large' },
  { shape: 'heart', colour: 'red', size: 'large', background: 'stripes' },
  { shape: 'star', colour: 'blue', size: 'large' },
  { shape: 'star', colour: 'yellow', size: 'large', background: 'gradient' },
  { shape: 'square', colour: 'green', size: 'large' },
  { shape: 'cross', colour: 'purple', size: 'large' },
  { shape: 'triangle', colour: 'white', size: 'large' },
];
const scanDir = join(work, 'scan');
const cleanDir = join(work, 'clean');
let labels: string;

// Everything is rendered up front: `scan` hardens sharp for untrusted input (SVG blocked process-wide).
beforeAll(async () => {
  await writeScenes(join(scanDir, 'nested'), SCAN_SCENES, 11);
  await writeScenes(cleanDir, [{ shape: 'square', colour: 'green', size: 'large' }], 3);
  const random = rng(99);
  const shapes = ['circle', 'square', 'triangle', 'star', 'cross', 'heart'] as const;
  const colours = ['red', 'green', 'blue', 'yellow', 'purple', 'orange', 'black', 'white'] as const;
  const scenes: Scene[] = Array.from({ length: 72 }, () => ({
    shape: shapes[Math.floor(random() * 6)],
    colour: colours[Math.floor(random() * 8)],
    size: 'large' as const,
  }));
  const paths = await writeScenes(join(work, 'labelled'), scenes, 5);
  const truth = (s: Scene) =>
    [s.colour === 'red' ? 'red' : '', s.shape === 'star' && s.colour !== 'red' ? 'star' : '']
      .filter(Boolean)
      .join(';');
  labels = join(work, 'labelled', 'labels.csv');
  writeFileSync(
    labels,
    ['path,categories', ...paths.map((p, i) => `${p.split('/').pop()},${truth(scenes[i])}`)].join('\n'),
  );
});

const expected = (s: Scene) => (s.colour === 'red' ? 'block' : s.shape === 'star' ? 'review' : 'allow');

describe('clipguard scan with the shapes policy', () => {
  const scenes = SCAN_SCENES;
  const dir = scanDir;

  it('gives each generated image the verdict the policy intends, as JSON lines, and exits 1 when something is flagged', async () => {
    const { code, stdout } = await clipguard('scan', dir, '--policy', POLICY_V1, '--json', ...model);
    expect(code).toBe(1);
    const lines = stdout.split('\n').map((l) => JSON.parse(l) as ScanLine);
    expect(lines).toHaveLength(scenes.length);
    expect(lines.map((l) => l.verdict)).toEqual(scenes.map(expected));
    expect(lines[0].reasons?.[0].category).toBe('red');
    expect(lines[0].policy).toMatchObject({ id: 'shapes', version: 1 });
    expect(lines[0].modelId).toMatch(/^tiny-clip\/fp32@/);
  });

  it('exits 0 when everything is allowed and reuses the compiled policy cache', async () => {
    const { code, stdout } = await clipguard('scan', cleanDir, '--policy', POLICY_V1, ...model);
    expect(code).toBe(0);
    expect(stdout).toMatch(/allow/);
    expect(existsSync(cacheDir)).toBe(true);
    const again = await clipguard('scan', cleanDir, '--policy', POLICY_V1, ...model);
    expect(again.stderr).toContain('compiled prompts from cache');
  });

  it('reports a bad file, keeps going and exits 2', async () => {
    const { code, stdout } = await clipguard(
      'scan',
      join(dir, 'nested'),
      join(SHARED_IMAGES, 'truncated.jpg'),
      '--policy',
      POLICY_V1,
      '--json',
      ...model,
    );
    expect(code).toBe(2);
    const lines = stdout.split('\n').map((l) => JSON.parse(l) as ScanLine);
    expect(lines.filter((l) => l.verdict)).toHaveLength(scenes.length);
    expect(lines.find((l) => l.file.endsWith('truncated.jpg'))).toMatchObject({ code: 'IMAGE_CORRUPT' });
  });

  it('scores animated images on the max over sampled frames', async () => {
    const { code, stdout } = await clipguard(
      'scan',
      join(SHARED_IMAGES, 'no_time_for_that_tiny.gif'),
      '--policy',
      POLICY_V1,
      '--frames',
      '4',
      '--json',
      ...model,
    );
    expect(code).toBeLessThan(2);
    const line = JSON.parse(stdout) as ScanLine & { categoryScores: Record<string, number> };
    expect(Object.keys(line.categoryScores)).toEqual(['red', 'star']);
  });
});

describe('clipguard policy eval and diff', () => {
  it('reports sensible metrics, a threshold sweep, JSON and an HTML report', async () => {
    const out = join(work, 'eval');
    const { code, stdout } = await clipguard(
      'policy',
      'eval',
      '--policy',
      POLICY_V1,
      '--labels',
      labels,
      '--out',
      out,
      '--resamples',
      '200',
      '--ablate',
      ...model,
    );
    expect(code).toBe(0);
    expect(stdout).toContain('ROC-AUC');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      images: number;
      categories: {
        id: string;
        rocAuc: { value: number; low: number; high: number };
        recall: { value: number };
        sweep: unknown[];
      }[];
      confusion: { clean: Record<string, number>; harmful: Record<string, number> };
      ablation: { category: string; contribution: number }[];
    };
    expect(report.images).toBe(72);
    const red = report.categories.find((c) => c.id === 'red');
    expect(red?.rocAuc.value).toBeGreaterThan(0.9);
    expect(red?.rocAuc.low).toBeLessThanOrEqual(red?.rocAuc.value ?? 0);
    expect(red?.recall.value).toBeGreaterThan(0.8);
    expect(red?.sweep.length).toBeGreaterThan(3);
    expect(report.confusion.clean.allow).toBeGreaterThan(report.confusion.clean.block);
    expect(report.ablation.filter((a) => a.category === 'red')).toHaveLength(6);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('Prompt ablation');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  it('diff shows which verdicts change between versions and whether each change is right', async () => {
    const { code, stdout } = await clipguard(
      'policy',
      'diff',
      POLICY_V1,
      POLICY_V2,
      '--labels',
      labels,
      '--json',
      ...model,
    );
    expect(code).toBe(0);
    const diff = JSON.parse(stdout) as {
      changed: number;
      transitions: Record<string, number>;
      rows: { a: string; b: string; truth: string[] }[];
      fixed: number;
      broken: number;
    };
    expect(diff.rows).toHaveLength(72);
    // v2 is stricter on stars only: every change moves a non-red star towards block, never the other way.
    const rank = { allow: 0, review: 1, block: 2 } as const;
    const changed = diff.rows.filter((r) => r.a !== r.b);
    expect(changed.length).toBe(diff.changed);
    expect(diff.transitions['review→block']).toBeGreaterThan(0);
    for (const r of changed) {
      expect(r.truth).toEqual(['star']);
      expect(rank[r.b as keyof typeof rank]).toBeGreaterThan(rank[r.a as keyof typeof rank]);
    }
    expect(diff.broken).toBe(0);
  });

  it('diff on a plain image directory prints a summary table', async () => {
    const { code, stdout } = await clipguard(
      'policy',
      'diff',
      POLICY_V1,
      POLICY_V2,
      '--images',
      join(work, 'labelled'),
      ...model,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/shapes v1 → shapes v2: \d+ of 72 verdicts change/);
  });
});

describe('clipguard policy validate', () => {
  it('exits 2 and names file, line and field of an invalid policy', async () => {
    const dir = join(work, 'bad', 'shapes');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'v3.yaml'),
      readFileSync(POLICY_V1, 'utf8').replace('version: 1', 'version: 3').replace('block: 0.5', 'block: 0.1'),
    );
    const { code, stdout } = await clipguard('policy', 'validate', join(work, 'bad'));
    expect(code).toBe(2);
    expect(stdout).toMatch(/v3\.yaml:\d+ categories\.0\.thresholds: review threshold must not exceed block/);
  });
});
