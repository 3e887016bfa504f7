import { embedLabels, type ClipEngine } from '@clipguard/clip';
import { decide, type Decision } from '@clipguard/decision';
import {
  promptSimilarities,
  scoreFrames,
  type CompiledPolicy,
  type ParsedPolicy,
  type PolicyScores,
} from '@clipguard/policy';
import { CompiledPolicyCache, readPolicyFile, resolvePolicyPath } from '@clipguard/storage';

export const DEFAULT_POLICY = 'policies/default';
export const DEFAULT_CACHE_DIR = '.cache/clipguard/policies';

/** Reads and validates a policy file, or the newest version in a policy directory (no model needed). */
export function readPolicy(path: string): ParsedPolicy {
  return readPolicyFile(resolvePolicyPath(path));
}

/** Compiles a parsed policy for the engine's model, through the on-disk cache of prompt embeddings. */
export function compilePolicy(
  engine: ClipEngine,
  parsed: ParsedPolicy,
  cacheDir = DEFAULT_CACHE_DIR,
): Promise<{ compiled: CompiledPolicy; cached: boolean }> {
  return new CompiledPolicyCache(cacheDir).compile(parsed, engine.modelId, (texts, templates) =>
    embedLabels(engine, texts, templates),
  );
}

/** Loads a policy file (or the newest version in a directory) and compiles it for the engine's model. */
export async function loadCompiledPolicy(
  engine: ClipEngine,
  path: string,
  cacheDir = DEFAULT_CACHE_DIR,
): Promise<{ compiled: CompiledPolicy; cached: boolean; file: string }> {
  const parsed = readPolicy(path);
  return { ...(await compilePolicy(engine, parsed, cacheDir)), file: parsed.file };
}

/** How a run names the policy it used: id, version and the start of its hash. */
export const policyLabel = (p: { policy: { id: string; version: number }; hash: string }) =>
  `${p.policy.id} v${p.policy.version} (sha256:${p.hash.slice(0, 12)})`;

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
