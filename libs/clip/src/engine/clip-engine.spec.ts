import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { SHARED_IMAGES, TINY_CLIP_DIR } from '@clipguard/testing';
import { ClipError } from '../errors';
import { sampleFrames } from '../image/preprocess';
import { dot } from '../vector';
import { ClipEngine } from './clip-engine';

const image = (name: string) => readFileSync(join(SHARED_IMAGES, name));

function copyModel(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clipguard-model-'));
  cpSync(TINY_CLIP_DIR, dir, { recursive: true });
  return dir;
}

async function openError(
  modelDir: string,
  extra: Partial<Parameters<typeof ClipEngine.open>[0]> = {},
): Promise<ClipError> {
  const err = await ClipEngine.open({ modelDir, variant: 'fp32', ...extra }).then(
    async (e) => {
      await e.close();
      throw new Error('expected the engine to refuse the model');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ClipError);
  return err as ClipError;
}

describe('ClipEngine on the tiny CLIP', () => {
  const batches: number[] = [];
  let engine: ClipEngine;

  beforeAll(async () => {
    engine = await ClipEngine.open(
      { modelDir: TINY_CLIP_DIR, variant: 'fp32', maxBatch: 16, maxWaitMs: 10 },
      { onImageBatch: (n) => batches.push(n) },
    );
  });
  afterAll(() => engine.close());

  it('derives the model id from the sha256 of both graphs', () => {
    const sha = (f: string) =>
      createHash('sha256')
        .update(readFileSync(join(TINY_CLIP_DIR, f)))
        .digest('hex');
    const digest = createHash('sha256')
      .update(`${sha('onnx/vision_model.onnx')}\n${sha('onnx/text_model.onnx')}`)
      .digest('hex');
    expect(engine.modelId).toBe(`tiny-clip/fp32@${digest.slice(0, 16)}`);
  });

  it('returns unit-length image and text embeddings of the manifest dimension', async () => {
    const [img] = (await engine.embedImage(image('chelsea.png'))).embeddings;
    const [txt] = await engine.embedTexts(['a red star']);
    for (const v of [img, txt]) {
      expect(v).toHaveLength(engine.info.embedDim);
      expect(dot(v, v)).toBeCloseTo(1, 5);
    }
  });

  it('coalesces concurrent callers into batches and gives each caller its own rows', async () => {
    const names = ['astronaut.png', 'chelsea.png', 'coffee.png', 'horse.png', 'camera.png', 'rocket.jpg'];
    const tensors = await Promise.all(names.map(async (n) => (await engine.preprocess(image(n))).pixels[0]));
    const alone: Float32Array[] = [];
    for (const t of tensors) alone.push((await engine.embedImageTensors([t]))[0]);
    batches.length = 0;
    const together = await Promise.all(tensors.map((t) => engine.embedImageTensors([t])));
    expect(Math.max(...batches)).toBeGreaterThan(1);
    together.forEach(([v], i) => {
      // Each caller gets its own row back: the same vector it gets when it runs alone.
      expect(dot(v, alone[i])).toBeCloseTo(1, 5);
      const closest = alone
        .map((other) => dot(v, other))
        .indexOf(Math.max(...alone.map((other) => dot(v, other))));
      expect(closest).toBe(i);
    });
  });

  it('serves repeated content from the image cache, keyed by content hash', async () => {
    const bytes = image('coffee.png');
    const first = await engine.embedImage(Buffer.from(bytes));
    const again = await engine.embedImage(Buffer.from(bytes));
    expect(again.cached).toBe(true);
    expect(again.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(Array.from(again.embeddings[0])).toEqual(Array.from(first.embeddings[0]));
  });

  it("keys the cache by the caller's content hash when given one, instead of hashing again", async () => {
    const bytes = image('horse.png');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const first = await engine.embedImage(Buffer.from(bytes), { sha256 });
    const again = await engine.embedImage(Buffer.from(bytes));
    expect(first.sha256).toBe(sha256);
    expect(again.cached).toBe(true);
  });

  it('embeds every sampled frame of an animated image, each from its own pixels', async () => {
    const gif = image('no_time_for_that_tiny.gif');
    const out = await engine.embedImage(gif, { frames: 4 });
    expect(out.frameIndices).toEqual(sampleFrames(out.frameCount, 4));
    expect(out.embeddings).toHaveLength(4);
    // Each frame decoded on its own (sharp, not the engine) and embedded alone must give that frame's row.
    const decoded = await Promise.all(out.frameIndices.map((page) => sharp(gif, { page }).raw().toBuffer()));
    for (let i = 0; i < 4; i++) {
      for (let j = i + 1; j < 4; j++) {
        const framesDiffer = !decoded[i].equals(decoded[j]);
        expect(framesDiffer).toBe(true);
        expect(dot(out.embeddings[i], out.embeddings[j])).toBeLessThan(0.99999);
      }
    }
  });

  it('passes typed preprocessing errors through', async () => {
    await expect(engine.embedImage(image('truncated.jpg'))).rejects.toMatchObject({ code: 'IMAGE_CORRUPT' });
  });

  it('refuses over-long text before it reaches the batch', async () => {
    const batched: number[] = [];
    const limited = await ClipEngine.open(
      { modelDir: TINY_CLIP_DIR, variant: 'fp32', maxTextLength: 20, maxWaitMs: 50 },
      { onTextBatch: (n) => batched.push(n) },
    );
    try {
      // Submitted in the same tick, so without the early check both would share one batch and fail together.
      const valid = limited.embedTexts(['a red star']);
      const tooLong = limited.embedTexts(['x'.repeat(21)]);
      await expect(tooLong).rejects.toMatchObject({ code: 'TEXT_TOO_LONG' });
      await expect(valid).resolves.toHaveLength(1);
      expect(batched).toEqual([1]);
    } finally {
      await limited.close();
    }
  });

  it('leaves the event loop mostly idle while long batches run in the session thread', async () => {
    const tensor = (await engine.preprocess(image('astronaut.png'))).pixels[0];
    const many = Array.from({ length: 384 }, () => tensor);
    // Event-loop utilisation of this (main) thread: the share of the run it spent busy rather than idle.
    // Inference on this thread would keep it near 1, whatever the machine's speed; no wall time is asserted.
    const before = performance.eventLoopUtilization();
    await engine.embedImageTensors(many);
    const busy = performance.eventLoopUtilization(before);
    expect(busy.utilization).toBeLessThan(0.5);
  });

  it('runs batches on several vision sessions side by side with the same results', async () => {
    const tensor = (await engine.preprocess(image('chelsea.png'))).pixels[0];
    const reference = (await engine.embedImageTensors([tensor]))[0];
    const runs: { start: number; end: number }[] = [];
    const wide = await ClipEngine.open(
      { modelDir: TINY_CLIP_DIR, variant: 'fp32', visionSessions: 2, intraOpThreads: 1, maxBatch: 8 },
      { onImageBatch: (_size, ms) => runs.push({ start: performance.now() - ms, end: performance.now() }) },
    );
    try {
      const out = await wide.embedImageTensors(Array.from({ length: 96 }, () => tensor));
      for (const v of out) expect(dot(v, reference)).toBeCloseTo(1, 5);
      expect(runs).toHaveLength(12);
      const overlapping = runs.some((a, i) =>
        runs.some((b, j) => i !== j && a.start < b.end && b.start < a.end),
      );
      expect(overlapping).toBe(true);
    } finally {
      await wide.close();
    }
  });

  it('finishes in-flight work on close', async () => {
    const e = await ClipEngine.open({ modelDir: TINY_CLIP_DIR, variant: 'fp32' });
    const pending = e.embedTexts(['a blue circle', 'two green hearts']);
    await e.close();
    await expect(pending).resolves.toHaveLength(2);
    await expect(e.embedTexts(['a new text'])).rejects.toMatchObject({ code: 'ENGINE_CLOSED' });
  });
});

describe('ClipEngine model directory checks', () => {
  let dir: string;
  beforeEach(() => (dir = copyModel()));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names a missing graph', async () => {
    unlinkSync(join(dir, 'onnx/text_model.onnx'));
    const err = await openError(dir);
    expect(err.code).toBe('MODEL_FILE_MISSING');
    expect(err.message).toContain('onnx/text_model.onnx');
  });

  it('names a missing manifest', async () => {
    unlinkSync(join(dir, 'clipguard.json'));
    const err = await openError(dir);
    expect(err.code).toBe('MODEL_FILE_MISSING');
    expect(err.message).toContain('clipguard.json');
  });

  it('refuses a graph whose hash differs from the manifest', async () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'clipguard.json'), 'utf8')) as {
      files: Record<string, string>;
    };
    manifest.files['onnx/vision_model.onnx'] = '0'.repeat(64);
    writeFileSync(join(dir, 'clipguard.json'), JSON.stringify(manifest));
    const err = await openError(dir);
    expect(err.code).toBe('MODEL_INVALID');
    expect(err.message).toContain('sha256');
  });

  it('refuses an embedding size that disagrees with the graphs', async () => {
    const path = join(dir, 'config.json');
    const config = JSON.parse(readFileSync(path, 'utf8')) as { projection_dim: number };
    const manifestPath = join(dir, 'clipguard.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { embed_dim: number };
    config.projection_dim = manifest.embed_dim = 512;
    writeFileSync(path, JSON.stringify(config));
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const err = await openError(dir);
    expect(err.code).toBe('MODEL_INVALID');
    expect(err.message).toMatch(/image_embeds.*512/);
  });

  it('refuses a file that is not an ONNX graph', async () => {
    writeFileSync(join(dir, 'onnx/vision_model.onnx'), 'not a graph');
    const manifestPath = join(dir, 'clipguard.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { files: Record<string, string> };
    delete manifest.files['onnx/vision_model.onnx'];
    writeFileSync(manifestPath, JSON.stringify(manifest));
    expect((await openError(dir)).code).toBe('MODEL_INVALID');
  });

  it('says which variant is missing', async () => {
    const err = await openError(dir, { variant: 'fp16' });
    expect(err.code).toBe('MODEL_VARIANT_MISSING');
    expect(err.message).toContain('vision_model_fp16.onnx');
  });

  it('fails clearly when an execution provider is unavailable', async () => {
    const err = await openError(dir, { executionProviders: ['cuda'] });
    expect(err.code).toBe('EXECUTION_PROVIDER_UNAVAILABLE');
    expect(err.message).toContain('CUDA is missing');
  });

  it('names CUDA as the missing provider of cuda,cpu, without ONNX Runtime log lines first', () => {
    const child = spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, '../../test/open-engine.ts'), dir, 'cuda,cpu'],
      { encoding: 'utf8', timeout: 120_000 },
    );
    const out = JSON.parse(child.stdout) as { code: string; message: string };
    expect(out.code).toBe('EXECUTION_PROVIDER_UNAVAILABLE');
    expect(out.message).toMatch(/_model\.onnx: CUDA is missing: /);
    expect(out.message).toContain('CLIPGUARD_EXECUTION_PROVIDERS=cpu');
    expect(out.message).not.toContain('[cuda, cpu]');
    expect(child.stderr).toBe('');
  });
});
