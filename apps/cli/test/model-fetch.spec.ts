import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClipEngine } from '@clipguard/clip';
import { TINY_CLIP_DIR, clipguard } from '@clipguard/testing';

const REPO = 'test-org/tiny-clip';

interface HubOptions {
  /** Files whose first download is cut off halfway (to exercise resume). */
  cutFirst?: string[];
  /** Files served with other bytes than the listing promises. */
  corrupt?: string[];
}

/** A local stand-in for the Hugging Face hub API and file resolver, serving the tiny CLIP fixture. */
function startHub(options: HubOptions = {}): Promise<{ server: Server; url: string; ranges: string[] }> {
  const ranges: string[] = [];
  const cut = new Set(options.cutFirst ?? []);
  const listing = (sub: string) =>
    readdirSync(join(TINY_CLIP_DIR, sub))
      .filter((f) => f !== 'clipguard.json')
      .map((f) => {
        const path = sub ? `${sub}/${f}` : f;
        if (statSync(join(TINY_CLIP_DIR, path)).isDirectory()) return { type: 'directory', path };
        const data = readFileSync(join(TINY_CLIP_DIR, path));
        const oid = createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
        return path.endsWith('.onnx')
          ? {
              type: 'file',
              path,
              size: 135,
              oid,
              lfs: { oid: createHash('sha256').update(data).digest('hex'), size: data.length },
            }
          : { type: 'file', path, size: data.length, oid };
      });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const tree = url.pathname.match(/^\/api\/models\/([^/]+\/[^/]+)\/tree\/main(?:\/(.*))?$/);
    if (tree && tree[1] === REPO) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(listing(tree[2] ?? '')));
      return;
    }
    const file = url.pathname.match(/^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/);
    if (!file || file[1] !== REPO || !existsSync(join(TINY_CLIP_DIR, file[2]))) {
      res.statusCode = 404;
      res.end();
      return;
    }
    let data = readFileSync(join(TINY_CLIP_DIR, file[2]));
    if (options.corrupt?.includes(file[2])) data = Buffer.from(data.map((b) => b ^ 0xff));
    const range = req.headers.range?.match(/^bytes=(\d+)-$/);
    if (range) {
      ranges.push(`${file[2]}:${range[1]}`);
      res.writeHead(206, { 'content-length': data.length - Number(range[1]) });
      res.end(data.subarray(Number(range[1])));
      return;
    }
    res.writeHead(200, { 'content-length': data.length });
    if (cut.delete(file[2])) {
      res.write(data.subarray(0, Math.floor(data.length / 2)), () => res.destroy());
      return;
    }
    res.end(data);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ranges }),
    ),
  );
}

/** Runs `clipguard model fetch` of the test repository into a fresh directory against a local hub. */
async function fetchFrom(options: HubOptions, ...extra: string[]) {
  const hub = await startHub(options);
  const dir = join(mkdtempSync(join(tmpdir(), 'clipguard-fetch-')), 'tiny');
  try {
    const run = await clipguard(
      'model',
      'fetch',
      '--repo',
      REPO,
      '--base-url',
      hub.url,
      '--dir',
      dir,
      ...extra,
    );
    return { ...run, dir, ranges: hub.ranges };
  } finally {
    hub.server.close();
  }
}

describe('clipguard model fetch', () => {
  it('downloads, resumes a cut-off transfer and writes a loadable model directory', async () => {
    const { code, stderr, dir, ranges } = await fetchFrom(
      { cutFirst: ['onnx/vision_model.onnx'] },
      '--logit-scale',
      '20',
    );
    expect(stderr).not.toContain('error');
    expect(code).toBe(0);
    expect(ranges).toHaveLength(1);
    expect(ranges[0]).toMatch(/^onnx\/vision_model\.onnx:\d+$/);
    for (const f of [
      'onnx/vision_model.onnx',
      'onnx/text_model.onnx',
      'tokenizer.json',
      'preprocessor_config.json',
    ]) {
      expect(readFileSync(join(dir, f)).equals(readFileSync(join(TINY_CLIP_DIR, f)))).toBe(true);
    }
    expect(readdirSync(join(dir, 'onnx')).some((f) => f.endsWith('.part'))).toBe(false);
    const engine = await ClipEngine.open({ modelDir: dir, variant: 'fp32' });
    const reference = await ClipEngine.open({ modelDir: TINY_CLIP_DIR, variant: 'fp32' });
    try {
      expect(engine.modelId.split('@')[1]).toBe(reference.modelId.split('@')[1]);
      expect(engine.info.logitScale).toBe(20);
    } finally {
      await Promise.all([engine.close(), reference.close()]);
    }
  });

  it('refuses an LFS file whose sha256 does not match and leaves nothing half-written', async () => {
    const { code, stderr, dir } = await fetchFrom({ corrupt: ['onnx/text_model.onnx'] });
    expect(code).toBe(4);
    expect(stderr).toMatch(
      /error\[MODEL_INVALID\]: onnx\/text_model\.onnx: sha256 [0-9a-f]{64}, expected [0-9a-f]{64}/,
    );
    expect(existsSync(join(dir, 'onnx/text_model.onnx'))).toBe(false);
    expect(existsSync(join(dir, 'onnx/text_model.onnx.part'))).toBe(false);
  });

  it('verifies hashes of small (non-LFS) files by their git blob id', async () => {
    // tokenizer.json is listed by the hub with a git blob id only (no LFS sha256): a corrupted copy must be
    // caught by that check alone.
    const { code, stderr, dir } = await fetchFrom({ corrupt: ['tokenizer.json'] });
    expect(code).toBe(4);
    expect(stderr).toMatch(
      /error\[MODEL_INVALID\]: tokenizer\.json: git blob [0-9a-f]{40}, expected [0-9a-f]{40}/,
    );
    expect(existsSync(join(dir, 'tokenizer.json'))).toBe(false);
    expect(existsSync(join(dir, 'clipguard.json'))).toBe(false);
  });

  it('says which variant the repository lacks', async () => {
    const { code, stderr } = await fetchFrom({}, '--variant', 'fp16');
    expect(code).toBe(4);
    expect(stderr).toContain('MODEL_VARIANT_MISSING');
  });
});
