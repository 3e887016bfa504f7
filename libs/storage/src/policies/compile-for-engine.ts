import { embedLabels, type ClipEngine } from '@clipguard/clip';
import type { CompiledPolicy, ParsedPolicy } from '@clipguard/policy';
import { CompiledPolicyCache } from './compiled-policy-cache';
import { readPolicyFile, resolvePolicyPath } from './policy-files';

export const DEFAULT_POLICY_CACHE_DIR = '.cache/clipguard/policies';

/** Compiles a parsed policy for the engine's model, through the on-disk cache of prompt embeddings. */
export function compilePolicyFor(
  engine: ClipEngine,
  parsed: ParsedPolicy,
  cacheDir = DEFAULT_POLICY_CACHE_DIR,
): Promise<{ compiled: CompiledPolicy; cached: boolean }> {
  return new CompiledPolicyCache(cacheDir).compile(parsed, engine.modelId, (texts, templates) =>
    embedLabels(engine, texts, templates),
  );
}

/** Loads a policy file (or the newest version in a directory) and compiles it for the engine's model. */
export async function loadCompiledPolicy(
  engine: ClipEngine,
  path: string,
  cacheDir = DEFAULT_POLICY_CACHE_DIR,
): Promise<{ compiled: CompiledPolicy; cached: boolean; file: string }> {
  const parsed = readPolicyFile(resolvePolicyPath(path));
  return { ...(await compilePolicyFor(engine, parsed, cacheDir)), file: parsed.file };
}
