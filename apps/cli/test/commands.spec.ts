import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CLIP_PREPROCESS, preprocessImage } from '@clipguard/clip';
import {
  REPO_ROOT,
  SHARED_DIR,
  SHARED_IMAGES,
  TINY_CLIP_DIR,
  clipguard,
  renderScene,
  rng,
} from '@clipguard/testing';

const BPE = join(SHARED_DIR, 'clip', 'bpe_simple_vocab_16e6.txt.gz');
const tmp = mkdtempSync(join(tmpdir(), 'clipguard-cli-'));

describe('clipguard tokenize', () => {
  it('prints the reference ids and masks as JSON', async () => {
    const { code, stdout } = await clipguard(
      'tokenize',
      '--tokenizer',
      BPE,
      'a photo of a cat',
      'graphic violence',
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { input_ids: number[][]; attention_mask: number[][] };
    expect(out.input_ids[0].slice(0, 8)).toEqual([49406, 320, 1125, 539, 320, 2368, 49407, 0]);
    expect(out.input_ids[1].slice(0, 5)).toEqual([49406, 4245, 5450, 49407, 0]);
    expect(out.input_ids[0]).toHaveLength(77);
    expect(out.attention_mask[1].reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('works as a real process with the documented exit codes', async () => {
    const run = promisify(execFile);
    const main = join(REPO_ROOT, 'apps/cli/src/main.ts');
    const { stdout } = await run(
      'node',
      ['-r', '@swc-node/register', main, 'tokenize', '--tokenizer', BPE, 'hello'],
      {
        cwd: REPO_ROOT,
      },
    );
    expect((JSON.parse(stdout) as { input_ids: number[][] }).input_ids[0][0]).toBe(49406);
    await expect(
      run('node', ['-r', '@swc-node/register', main, 'no-such-command'], { cwd: REPO_ROOT }),
    ).rejects.toMatchObject({
      code: 2,
    });
  }, 60_000);
});

describe('clipguard preprocess', () => {
  it('writes the same float32 CHW tensor as the library', async () => {
    const out = join(tmp, 'chelsea.f32');
    const { code } = await clipguard(
      'preprocess',
      '--model',
      TINY_CLIP_DIR,
      join(SHARED_IMAGES, 'chelsea.png'),
      '--out',
      out,
    );
    expect(code).toBe(0);
    const bytes = readFileSync(out);
    const expected = (
      await preprocessImage(readFileSync(join(SHARED_IMAGES, 'chelsea.png')), CLIP_PREPROCESS)
    ).pixels[0];
    expect(bytes.length).toBe(3 * 224 * 224 * 4);
    expect(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4))).toEqual(
      Array.from(expected),
    );
  });

  it('exits 2 with the error code for a corrupt image', async () => {
    const { code, stderr } = await clipguard(
      'preprocess',
      '--model',
      TINY_CLIP_DIR,
      join(SHARED_IMAGES, 'truncated.jpg'),
      '--out',
      join(tmp, 'x.f32'),
    );
    expect(code).toBe(2);
    expect(stderr).toContain('IMAGE_CORRUPT');
  });
});

describe('clipguard on the tiny CLIP', () => {
  let redStar: string;
  let blueCircle: string;
  beforeAll(async () => {
    const random = rng(7);
    redStar = join(tmp, 'red-star.png');
    blueCircle = join(tmp, 'blue-circle.png');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(redStar, await renderScene({ shape: 'star', colour: 'red', size: 'large' }, random));
    writeFileSync(blueCircle, await renderScene({ shape: 'circle', colour: 'blue', size: 'large' }, random));
  });

  it('classify ranks the right label first, as JSON lines', async () => {
    const { code, stdout } = await clipguard(
      'classify',
      redStar,
      blueCircle,
      '--model',
      TINY_CLIP_DIR,
      '--labels',
      'a red star,a blue circle,a green heart',
      '--json',
    );
    expect(code).toBe(0);
    const lines = stdout
      .split('\n')
      .map((l) => JSON.parse(l) as { labels: { label: string; probability: number }[] });
    expect(lines.map((l) => l.labels[0].label)).toEqual(['a red star', 'a blue circle']);
    for (const l of lines) expect(l.labels.reduce((a, b) => a + b.probability, 0)).toBeCloseTo(1, 6);
  });

  it('classify reports a bad file, still classifies the rest, and exits 2', async () => {
    const { code, stdout, stderr } = await clipguard(
      'classify',
      redStar,
      join(SHARED_IMAGES, 'truncated.jpg'),
      '--model',
      TINY_CLIP_DIR,
      '--labels',
      'a red star,a blue circle',
    );
    expect(code).toBe(2);
    expect(stderr).toContain('IMAGE_CORRUPT');
    expect(stdout).toContain('a red star');
  });

  it('similarity prints an image × text matrix', async () => {
    const { code, stdout } = await clipguard(
      'similarity',
      '--model',
      TINY_CLIP_DIR,
      '--image',
      redStar,
      '--image',
      blueCircle,
      '--text',
      'a red star',
      '--text',
      'a blue circle',
      '--json',
    );
    expect(code).toBe(0);
    const { similarity } = JSON.parse(stdout) as { similarity: number[][] };
    expect(similarity[0][0]).toBeGreaterThan(similarity[0][1]);
    expect(similarity[1][1]).toBeGreaterThan(similarity[1][0]);
  });

  it('embed prints unit vectors tagged with the model id', async () => {
    const { code, stdout } = await clipguard(
      'embed',
      '--model',
      TINY_CLIP_DIR,
      '--image',
      redStar,
      '--text',
      'a red star',
    );
    expect(code).toBe(0);
    const rows = stdout
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; model: string; embedding: number[] });
    expect(rows.map((r) => r.kind)).toEqual(['text', 'image']);
    for (const r of rows) {
      expect(r.model).toMatch(/^tiny-clip\/fp32@[0-9a-f]{16}$/);
      expect(Math.hypot(...r.embedding)).toBeCloseTo(1, 5);
    }
  });

  it('model info shows the manifest and graph signatures', async () => {
    const { code, stdout } = await clipguard('model', 'info', TINY_CLIP_DIR);
    expect(code).toBe(0);
    const info = JSON.parse(stdout) as {
      graphs: { vision: { inputs: { name: string }[] } };
      manifest: { name: string };
    };
    expect(info.manifest.name).toBe('tiny-clip');
    expect(info.graphs.vision.inputs.map((i) => i.name)).toEqual(['pixel_values']);
  });

  it('explains how to get a model when the default one is absent', async () => {
    const { code, stderr } = await clipguard('embed', '--model', join(tmp, 'no-model'), '--text', 'x');
    expect(code).toBe(2);
    expect(stderr).toContain('clipguard model fetch');
  });
});
