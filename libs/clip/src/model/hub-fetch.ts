import { once } from 'node:events';
import { createHash } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { z } from 'zod';
import type { ModelVariant } from '@clipguard/config';
import { ClipError } from '../errors';
import { variantFileNames, type ModelManifest } from './manifest';
import { sha256File } from './model-directory';

export interface FetchModelOptions {
  repo: string;
  variant: ModelVariant;
  /** Directory the model lands in (created). */
  dir: string;
  baseUrl: string;
  revision: string;
  /** exp(logit_scale) of the trained model; OpenAI's released CLIPs use 100. */
  logitScale: number;
  token?: string;
  onProgress?: (event: { file: string; received: number; total: number }) => void;
}

const treeSchema = z.array(
  z.object({
    type: z.string(),
    path: z.string(),
    size: z.number().optional(),
    oid: z.string().optional(),
    lfs: z.object({ oid: z.string(), size: z.number() }).optional(),
  }),
);
type TreeEntry = z.infer<typeof treeSchema>[number];

const SIDE_FILES = [
  'config.json',
  'preprocessor_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'vocab.json',
  'merges.txt',
];

async function request(
  url: string,
  token: string | undefined,
  headers: Record<string, string> = {},
): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
  } catch (err) {
    throw new ClipError('MODEL_FILE_MISSING', `cannot reach ${url}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return res;
}

async function listFiles(o: FetchModelOptions): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  for (const sub of ['', '/onnx']) {
    const url = `${o.baseUrl}/api/models/${o.repo}/tree/${o.revision}${sub}`;
    const res = await request(url, o.token);
    if (!res.ok) throw new ClipError('MODEL_FILE_MISSING', `${url}: HTTP ${res.status} listing ${o.repo}`);
    const parsed = treeSchema.safeParse(await res.json());
    if (!parsed.success) throw new ClipError('MODEL_INVALID', `${url}: unexpected listing format`);
    entries.push(...parsed.data.filter((e) => e.type === 'file'));
  }
  return entries;
}

/** Git's blob id (sha1 over "blob <size>\0" + content): how the hub names small, non-LFS files. */
function gitBlobSha1(data: Buffer): string {
  return createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}

async function verify(path: string, entry: TreeEntry): Promise<void> {
  if (entry.lfs) {
    const actual = await sha256File(path);
    if (actual !== entry.lfs.oid) {
      throw new ClipError('MODEL_INVALID', `${entry.path}: sha256 ${actual}, expected ${entry.lfs.oid}`);
    }
  } else if (entry.oid) {
    const actual = gitBlobSha1(readFileSync(path));
    if (actual !== entry.oid)
      throw new ClipError('MODEL_INVALID', `${entry.path}: git blob ${actual}, expected ${entry.oid}`);
  }
}

/** Downloads one file into `<path>.part`, resuming from what is already there, then verifies and renames. */
async function download(o: FetchModelOptions, entry: TreeEntry, attempts = 5): Promise<void> {
  const target = join(o.dir, entry.path);
  const part = `${target}.part`;
  const total = entry.lfs?.size ?? entry.size ?? 0;
  mkdirSync(dirname(target), { recursive: true });
  const url = `${o.baseUrl}/${o.repo}/resolve/${o.revision}/${entry.path}`;
  for (let attempt = 1; ; attempt++) {
    const have = existsSync(part) ? statSync(part).size : 0;
    try {
      if (total > 0 && have >= total) break;
      const res = await request(url, o.token, have > 0 ? { range: `bytes=${have}-` } : {});
      if (!res.ok || !res.body) throw new ClipError('MODEL_FILE_MISSING', `${url}: HTTP ${res.status}`);
      const append = res.status === 206;
      let received = append ? have : 0;
      const body = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
      body.on('data', (chunk: Buffer) => {
        received += chunk.length;
        o.onProgress?.({ file: entry.path, received, total });
      });
      const out = createWriteStream(part, { flags: append ? 'a' : 'w' });
      try {
        await pipeline(body, out);
      } finally {
        // A cut connection rejects the pipeline while the file is still closing: the next attempt's
        // resume offset must be read only once every write has landed.
        if (!out.closed) await once(out, 'close');
      }
      if (total === 0 || statSync(part).size >= total) break;
      throw new Error(`connection closed after ${statSync(part).size} of ${total} bytes`);
    } catch (err) {
      if (err instanceof ClipError || attempt >= attempts) {
        throw err instanceof ClipError
          ? err
          : new ClipError('MODEL_FILE_MISSING', `${url}: ${(err as Error).message}`, { cause: err });
      }
    }
  }
  try {
    await verify(part, entry);
  } catch (err) {
    unlinkSync(part);
    throw err;
  }
  renameSync(part, target);
}

/**
 * Fetches a CLIP ONNX export (Hugging Face / transformers.js layout) with resumable, verified downloads,
 * then writes clipguard.json with the hashes that will name the model.
 */
export async function fetchModel(o: FetchModelOptions): Promise<ModelManifest> {
  const entries = await listFiles(o);
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const wanted: TreeEntry[] = SIDE_FILES.flatMap((f) => byPath.get(f) ?? []);
  for (const tower of ['vision', 'text'] as const) {
    const entry = variantFileNames(o.variant, tower)
      .map((n) => byPath.get(n))
      .find(Boolean);
    if (!entry) {
      throw new ClipError(
        'MODEL_VARIANT_MISSING',
        `${o.repo} has no ${o.variant} ${tower} tower (${variantFileNames(o.variant, tower).join(' or ')})`,
      );
    }
    wanted.push(entry);
  }
  for (const required of ['config.json', 'preprocessor_config.json']) {
    if (!byPath.has(required)) throw new ClipError('MODEL_FILE_MISSING', `${o.repo} has no ${required}`);
  }
  mkdirSync(o.dir, { recursive: true });
  for (const entry of wanted) {
    if (existsSync(join(o.dir, entry.path))) {
      try {
        await verify(join(o.dir, entry.path), entry);
        continue;
      } catch {
        unlinkSync(join(o.dir, entry.path));
      }
    }
    await download(o, entry);
  }
  const config = z
    .object({
      projection_dim: z.number().int(),
      vision_config: z.object({ image_size: z.number().int() }).partial().optional(),
    })
    .parse(JSON.parse(readFileSync(join(o.dir, 'config.json'), 'utf8')));
  const files: Record<string, string> = {};
  for (const entry of wanted) files[entry.path] = await sha256File(join(o.dir, entry.path));
  const manifest: ModelManifest = {
    name: o.repo.split('/').pop() ?? o.repo,
    source: `${o.baseUrl}/${o.repo}@${o.revision}`,
    logit_scale: o.logitScale,
    embed_dim: config.projection_dim,
    image_size: config.vision_config?.image_size ?? 224,
    context_length: 77,
    variants: [o.variant],
    files,
  };
  writeFileSync(join(o.dir, 'clipguard.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
