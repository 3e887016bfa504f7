import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { embedLabels, type ClipEngine } from '@clipguard/clip';
import { decide, type Decision } from '@clipguard/decision';
import { promptSimilarities, scoreFrames, type CompiledPolicy, type PolicyScores } from '@clipguard/policy';
import { CompiledPolicyCache, readPolicyFile, resolvePolicyPath } from '@clipguard/storage';

export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif']);
export const DEFAULT_POLICY = 'policies/default';
export const DEFAULT_CACHE_DIR = '.cache/clipguard/policies';

/** Files named on the command line, and image files found under named directories (recursively). */
export function collectImages(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (IMAGE_EXTENSIONS.has(extname(name).toLowerCase())) out.push(path);
    }
  };
  for (const p of paths) {
    if (statSync(p, { throwIfNoEntry: false })?.isDirectory()) walk(p);
    else out.push(p);
  }
  return out;
}

/** Loads a policy file (or the newest version in a directory) and compiles it for the engine's model. */
export async function loadCompiledPolicy(
  engine: ClipEngine,
  path: string,
  cacheDir = DEFAULT_CACHE_DIR,
): Promise<{ compiled: CompiledPolicy; cached: boolean; file: string }> {
  const file = resolvePolicyPath(path);
  const parsed = readPolicyFile(file);
  const cache = new CompiledPolicyCache(cacheDir);
  const result = await cache.compile(parsed, engine.modelId, (texts, templates) =>
    embedLabels(engine, texts, templates),
  );
  return { ...result, file };
}

export function scoreEmbeddings(
  engine: ClipEngine,
  compiled: CompiledPolicy,
  frames: readonly Float32Array[],
): PolicyScores {
  return scoreFrames(
    compiled.policy,
    compiled.prompts,
    promptSimilarities(compiled, frames),
    engine.info.logitScale,
  );
}

export function decideEmbeddings(
  engine: ClipEngine,
  compiled: CompiledPolicy,
  frames: readonly Float32Array[],
): Decision {
  return decide(compiled, scoreEmbeddings(engine, compiled, frames));
}

/** Runs `work` over items with at most `limit` in flight, keeping input order in the results. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
