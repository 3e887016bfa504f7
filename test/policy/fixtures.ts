import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { REPO_ROOT, randomScene, renderScene, rng, type Scene } from '@clipguard/testing';

export const POLICY_DIR = join(REPO_ROOT, 'test/fixtures/policies/shapes');
export const POLICY_V1 = join(POLICY_DIR, 'v1.yaml');
export const POLICY_V2 = join(POLICY_DIR, 'v2.yaml');

/** What the shapes policy v1 means an image to be: red shapes block, other stars review. */
export const truthOf = (s: Scene) =>
  [s.colour === 'red' ? 'red' : '', s.shape === 'star' && s.colour !== 'red' ? 'star' : ''].filter(Boolean);

/** Writes one PNG per scene into dir, named after the scene; returns the paths. */
export async function writeScenes(dir: string, scenes: readonly Scene[], seed: number): Promise<string[]> {
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

const SHAPES = ['circle', 'square', 'triangle', 'star', 'cross', 'heart'] as const;
const COLOURS = ['red', 'green', 'blue', 'yellow', 'purple', 'orange', 'black', 'white'] as const;

/** `count` random large single shapes, the same for a seed. */
export function randomScenes(count: number, seed: number): Scene[] {
  const random = rng(seed);
  return Array.from({ length: count }, () => ({
    shape: SHAPES[Math.floor(random() * SHAPES.length)],
    colour: COLOURS[Math.floor(random() * COLOURS.length)],
    size: 'large' as const,
  }));
}

/**
 * A labelled set in dir: images and labels.csv (path,categories by the shapes policy's intent). `extra`
 * rows are appended as written, e.g. rows naming missing or broken files.
 */
export async function writeLabelledSet(
  dir: string,
  scenes: readonly Scene[],
  seed: number,
  extra: readonly string[] = [],
): Promise<string> {
  const paths = await writeScenes(dir, scenes, seed);
  const file = join(dir, 'labels.csv');
  const rows = paths.map((p, i) => `${p.split('/').pop()},${truthOf(scenes[i]).join(';')}`);
  writeFileSync(file, `${['path,categories', ...rows, ...extra].join('\n')}\n`);
  return file;
}

/** An animated GIF of the scenes in order, one frame each (sharp joins the frames). */
export async function animatedGif(scenes: readonly Scene[], seed: number): Promise<Buffer> {
  const random = rng(seed);
  const frames: Buffer[] = [];
  for (const s of scenes) frames.push(await renderScene(s, random));
  return sharp(frames, { join: { animated: true } })
    .gif({ delay: 200 })
    .toBuffer();
}

/** `count` varied scenes (sizes, counts, backgrounds), the same for a seed: the tiny CLIP gets some wrong. */
export function variedScenes(count: number, seed: number): Scene[] {
  const random = rng(seed);
  return Array.from({ length: count }, () => randomScene(random));
}

/**
 * The evaluation set: 60 varied renders, two deliberately mislabelled images (a blue star labelled clean, a
 * green square labelled star) and three rows whose image is missing or not an image, so 62 of 65 rows can
 * be evaluated. Returns the labels file.
 */
export async function writeEvalSet(dir: string): Promise<string> {
  const labels = await writeLabelledSet(dir, variedScenes(60, 7), 7);
  const random = rng(70);
  const render = (s: Scene) => renderScene(s, random);
  writeFileSync(
    join(dir, 'mislabelled-blue-star.png'),
    await render({ shape: 'star', colour: 'blue', size: 'large' }),
  );
  writeFileSync(
    join(dir, 'mislabelled-green-square.png'),
    await render({ shape: 'square', colour: 'green', size: 'large' }),
  );
  writeFileSync(join(dir, 'broken.png'), 'this is not a PNG');
  const extra = [
    'mislabelled-blue-star.png,',
    'mislabelled-green-square.png,star',
    'gone-1.png,',
    'gone-2.png,red',
    'broken.png,',
  ];
  appendFileSync(labels, `${extra.join('\n')}\n`);
  return labels;
}
