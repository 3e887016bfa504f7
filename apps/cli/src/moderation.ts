import type { ClipEngine } from '@clipguard/clip';
import {
  decideEmbeddings as decideFrames,
  scoreEmbeddings as scoreFrames,
  type Decision,
} from '@clipguard/decision';
import type { CompiledPolicy, ParsedPolicy, PolicyScores } from '@clipguard/policy';
import {
  DEFAULT_POLICY_CACHE_DIR,
  compilePolicyFor,
  readPolicyFile,
  resolvePolicyPath,
} from '@clipguard/storage';

export { mapConcurrent } from '@clipguard/queue';
export const DEFAULT_POLICY = 'policies/default';
export const DEFAULT_CACHE_DIR = DEFAULT_POLICY_CACHE_DIR;
export const compilePolicy = compilePolicyFor;

/** Reads and validates a policy file, or the newest version in a policy directory (no model needed). */
export function readPolicy(path: string): ParsedPolicy {
  return readPolicyFile(resolvePolicyPath(path));
}

/** How a run names the policy it used: id, version and the start of its hash. */
export const policyLabel = (p: { policy: { id: string; version: number }; hash: string }) =>
  `${p.policy.id} v${p.policy.version} (sha256:${p.hash.slice(0, 12)})`;

export const scoreEmbeddings = (
  engine: ClipEngine,
  compiled: CompiledPolicy,
  frames: readonly Float32Array[],
): PolicyScores => scoreFrames(compiled, frames, engine.info.logitScale);

export const decideEmbeddings = (
  engine: ClipEngine,
  compiled: CompiledPolicy,
  frames: readonly Float32Array[],
): Decision => decideFrames(compiled, frames, engine.info.logitScale);
