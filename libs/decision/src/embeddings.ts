import { promptSimilarities, scoreFrames, type CompiledPolicy, type PolicyScores } from '@clipguard/policy';
import { decide, type Decision } from './decision';

/** Frame embeddings → the policy's scores (similarities to its prompts, then its scoring method). */
export function scoreEmbeddings(
  compiled: CompiledPolicy,
  frames: readonly Float32Array[],
  logitScale: number,
): PolicyScores {
  return scoreFrames(compiled.policy, compiled.prompts, promptSimilarities(compiled, frames), logitScale);
}

/** Frame embeddings → a decision, as scan and replays make it. */
export function decideEmbeddings(
  compiled: CompiledPolicy,
  frames: readonly Float32Array[],
  logitScale: number,
): Decision {
  return decide(compiled, scoreEmbeddings(compiled, frames, logitScale));
}
