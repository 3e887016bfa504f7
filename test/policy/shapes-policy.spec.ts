import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { SHARED_IMAGES, TINY_CLIP_DIR, clipguard, type Scene } from '@clipguard/testing';
import { POLICY_V1, animatedGif, writeScenes } from './fixtures';

const work = mkdtempSync(join(tmpdir(), 'clipguard-policy-'));
const cacheDir = join(work, 'cache');
const model = ['--model', TINY_CLIP_DIR, '--cache-dir', cacheDir];

interface ScanLine {
  file: string;
  verdict?: string;
  reasons?: { category: string; frame: number }[];
  policy?: { id: string; version: number; hash: string };
  modelId?: string;
  code?: string;
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
const gif = join(work, 'red-in-last-frame.gif');

/** What policy v1 should decide for a scene. */
const expected = (s: Scene) => (s.colour === 'red' ? 'block' : s.shape === 'star' ? 'review' : 'allow');
const lines = (stdout: string) => stdout.split('\n').map((l) => JSON.parse(l) as ScanLine);

// Everything is rendered up front: `scan` hardens sharp for untrusted input (SVG blocked process-wide).
beforeAll(async () => {
  await writeScenes(join(scanDir, 'nested'), SCAN_SCENES, 11);
  await writeScenes(cleanDir, [{ shape: 'square', colour: 'green', size: 'large' }], 3);
  const calm = (colour: Scene['colour']): Scene => ({ shape: 'square', colour, size: 'large' });
  writeFileSync(
    gif,
    await animatedGif([calm('green'), calm('blue'), calm('green'), { ...calm('red'), shape: 'circle' }], 21),
  );
});

describe('clipguard scan with the shapes policy', () => {
  it('gives each generated image the verdict the policy intends, as JSON lines, and exits 1 when something is flagged', async () => {
    const { code, stdout, stderr } = await clipguard(
      'scan',
      scanDir,
      '--policy',
      POLICY_V1,
      '--json',
      ...model,
    );
    expect(code).toBe(1);
    const out = lines(stdout);
    expect(out).toHaveLength(SCAN_SCENES.length);
    expect(out.map((l) => l.verdict)).toEqual(SCAN_SCENES.map(expected));
    expect(out[0].reasons?.[0].category).toBe('red');
    expect(out[0].policy).toMatchObject({ id: 'shapes', version: 1 });
    expect(out[0].modelId).toMatch(/^tiny-clip\/fp32@/);
    expect(stderr).toMatch(
      /7 files: 7 scanned \(3 allow, 2 review, 2 block\), 0 skipped, 0 unreadable with policy shapes v1 \(sha256:[0-9a-f]{12}\); exit 1: flagged/,
    );
  });

  it('exits 0 when everything is allowed and reuses the compiled policy cache', async () => {
    const { code, stdout } = await clipguard('scan', cleanDir, '--policy', POLICY_V1, ...model);
    expect(code).toBe(0);
    expect(stdout).toMatch(/allow/);
    expect(existsSync(cacheDir)).toBe(true);
    const again = await clipguard('scan', cleanDir, '--policy', POLICY_V1, ...model);
    expect(again.stderr).toContain('compiled prompts from cache');
  });

  it('reports an unreadable file and keeps going: exit 2 when nothing was flagged', async () => {
    const { code, stdout, stderr } = await clipguard(
      'scan',
      cleanDir,
      join(SHARED_IMAGES, 'truncated.jpg'),
      '--policy',
      POLICY_V1,
      '--json',
      ...model,
    );
    expect(code).toBe(2);
    const out = lines(stdout);
    expect(out.filter((l) => l.verdict)).toHaveLength(1);
    expect(out.find((l) => l.file.endsWith('truncated.jpg'))).toMatchObject({ code: 'IMAGE_CORRUPT' });
    expect(stderr).toMatch(
      /2 files: 1 scanned \(1 allow, 0 review, 0 block\), 0 skipped, 1 unreadable .*; exit 2: some files could not be read/,
    );
  });

  it('keeps flagged images visible when others are unreadable: exit 3, and the summary says both', async () => {
    const { code, stdout, stderr } = await clipguard(
      'scan',
      join(scanDir, 'nested'),
      join(SHARED_IMAGES, 'truncated.jpg'),
      '--policy',
      POLICY_V1,
      ...model,
    );
    expect(code).toBe(3);
    expect(stdout).toMatch(/000-red-circle\.png\s+block/);
    expect(stdout).toMatch(/truncated\.jpg\s+error\s+IMAGE_CORRUPT/);
    expect(stderr).toMatch(
      /8 files: 7 scanned \(3 allow, 2 review, 2 block\), 0 skipped, 1 unreadable .*; exit 3: flagged, and some files could not be read/,
    );
  });

  it('scores animated images on the max over sampled frames: red only in the last frame blocks with --frames 4, not with --frames 1', async () => {
    const frames = (await sharp(gif).metadata()).pages;
    expect(frames).toBe(4);
    const all = await clipguard('scan', gif, '--policy', POLICY_V1, '--frames', '4', '--json', ...model);
    const first = await clipguard('scan', gif, '--policy', POLICY_V1, '--frames', '1', '--json', ...model);
    const [withAll, withFirst] = [lines(all.stdout)[0], lines(first.stdout)[0]];
    expect(withAll.verdict).toBe('block');
    expect(withAll.reasons?.[0]).toMatchObject({ category: 'red', frame: 3 });
    expect(all.code).toBe(1);
    expect(withFirst.verdict).toBe('allow');
    expect(first.code).toBe(0);
  });
});
