import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
  clipguardWith,
  renderScene,
  rng,
} from '@clipguard/testing';

const BPE = join(SHARED_DIR, 'clip', 'bpe_simple_vocab_16e6.txt.gz');
const tmp = mkdtempSync(join(tmpdir(), 'clipguard-cli-'));
const tiny = { env: { CLIPGUARD_MODEL_DIR: TINY_CLIP_DIR } };

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

  it('--tokens shows the token strings (OpenAI .gz and a model directory alike)', async () => {
    const gz = await clipguard('tokenize', '--tokens', '--tokenizer', BPE, 'a photo of a cat');
    expect(gz.code).toBe(0);
    expect(gz.stdout.split('\n')).toEqual([
      '"a photo of a cat": 7 of 77 tokens',
      '  <|startoftext|>(49406) a</w>(320) photo</w>(1125) of</w>(539) a</w>(320) cat</w>(2368) <|endoftext|>(49407)',
    ]);
    const dir = await clipguard('tokenize', '--tokens', '--tokenizer', TINY_CLIP_DIR, 'a red star');
    expect(dir.stdout).toMatch(
      /^"a red star": \d+ of 77 tokens\n {2}<\|startoftext\|>\(\d+\) a<\/w>\(\d+\) .*<\|endoftext\|>\(\d+\)$/,
    );
  });

  it('warns when a text is cut at 77 tokens', async () => {
    const long = Array.from({ length: 90 }, () => 'cat').join(' ');
    const { code, stderr } = await clipguard('tokenize', '--tokenizer', BPE, long);
    expect(code).toBe(0);
    expect(stderr).toBe(
      'warning: "cat cat cat cat cat cat cat cat cat cat cat cat cat cat c..." is 92 tokens; CLIP reads the first 77 (with its start and end tokens), so the rest is cut',
    );
  });

  it('reads the tokenizer of $CLIPGUARD_MODEL_DIR when --tokenizer is left out', async () => {
    const fromEnv = await clipguardWith(tiny, 'tokenize', 'a red star');
    const explicit = await clipguard('tokenize', '--tokenizer', TINY_CLIP_DIR, 'a red star');
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stdout).toBe(explicit.stdout);
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
      code: 4,
      stderr: expect.stringContaining("error: unknown command 'no-such-command'") as unknown,
    });
  }, 60_000);
});

describe('clipguard preprocess', () => {
  it('writes the same float32 CHW tensor as the library, with the model from $CLIPGUARD_MODEL_DIR', async () => {
    const out = join(tmp, 'chelsea.f32');
    const { code } = await clipguardWith(
      tiny,
      'preprocess',
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

  it('exits 2 (input unreadable) with the error code for a corrupt image', async () => {
    const { code, stderr } = await clipguard(
      'preprocess',
      '--model',
      TINY_CLIP_DIR,
      join(SHARED_IMAGES, 'truncated.jpg'),
      '--out',
      join(tmp, 'x.f32'),
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/truncated\.jpg: error\[IMAGE_CORRUPT\]: /);
  });
});

describe('clipguard on the tiny CLIP', () => {
  let redStar: string;
  let blueCircle: string;
  beforeAll(async () => {
    const random = rng(7);
    redStar = join(tmp, 'red-star.png');
    blueCircle = join(tmp, 'blue-circle.png');
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

  it('classify takes labels with commas through repeatable --label', async () => {
    const { code, stdout } = await clipguardWith(
      tiny,
      'classify',
      redStar,
      '--label',
      'a red star, large',
      '--label',
      'a blue circle, small',
      '--json',
    );
    expect(code).toBe(0);
    const line = JSON.parse(stdout) as { labels: { label: string }[] };
    expect(line.labels.map((l) => l.label).sort()).toEqual(['a blue circle, small', 'a red star, large']);
    expect(line.labels[0].label).toBe('a red star, large');
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
    expect(stderr).toMatch(/truncated\.jpg: error\[IMAGE_CORRUPT\]: /);
    expect(stdout).toContain('a red star');
  });

  it('similarity takes images as plain arguments and prints an image × text matrix', async () => {
    const { code, stdout } = await clipguardWith(
      tiny,
      'similarity',
      redStar,
      blueCircle,
      '--text',
      'a red star',
      '--text',
      'a blue circle',
      '--json',
    );
    expect(code).toBe(0);
    const { similarity, images } = JSON.parse(stdout) as { similarity: number[][]; images: string[] };
    expect(images).toEqual([redStar, blueCircle]);
    expect(similarity[0][0]).toBeGreaterThan(similarity[0][1]);
    expect(similarity[1][1]).toBeGreaterThan(similarity[1][0]);
  });

  it('embed takes images as plain arguments and prints unit vectors tagged with the model id', async () => {
    const { code, stdout } = await clipguardWith(tiny, 'embed', redStar, '--text', 'a red star');
    expect(code).toBe(0);
    const rows = stdout
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; input: string; model: string; embedding: number[] });
    expect(rows.map((r) => [r.kind, r.input])).toEqual([
      ['text', 'a red star'],
      ['image', redStar],
    ]);
    for (const r of rows) {
      expect(r.model).toMatch(/^tiny-clip\/fp32@[0-9a-f]{16}$/);
      expect(Math.hypot(...r.embedding)).toBeCloseTo(1, 5);
    }
  });

  it('model info prints a readable summary by default and everything with --json', async () => {
    const human = await clipguardWith(tiny, 'model', 'info');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^model {11}tiny-clip \(fp32\)\nmodel id {8}tiny-clip\/fp32@[0-9a-f]{16}\n/);
    expect(human.stdout).toMatch(/\nembedding size {2}64\n/);
    expect(human.stdout).toMatch(/\nproviders {7}cpu \(CLIPGUARD_EXECUTION_PROVIDERS\)\n/);
    expect(human.stdout).toMatch(/\n {2}onnx\/vision_model\.onnx +2\.0 MB {2}sha256:[0-9a-f]{12}\n/);
    const json = await clipguard('model', 'info', TINY_CLIP_DIR, '--json');
    const info = JSON.parse(json.stdout) as {
      graphs: { vision: { inputs: { name: string }[] } };
      manifest: { name: string };
    };
    expect(info.manifest.name).toBe('tiny-clip');
    expect(info.graphs.vision.inputs.map((i) => i.name)).toEqual(['pixel_values']);
  });

  it('explains how to get a model when the model directory is absent', async () => {
    const { code, stderr } = await clipguard('embed', '--model', join(tmp, 'no-model'), '--text', 'x');
    expect(code).toBe(4);
    expect(stderr).toBe(
      `error[MODEL_FILE_MISSING]: model directory ${join(tmp, 'no-model')} does not exist; fetch one with: clipguard model fetch --dir ${join(tmp, 'no-model')}`,
    );
  });
});
