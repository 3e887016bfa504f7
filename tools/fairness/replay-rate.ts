// Rate of the replay math (decisions per second) on synthetic stored embeddings:
//   node -r @swc-node/register tools/fairness/replay-rate.ts [--count 10000] [--dim 512] [--frames 1] [--runs 3]
// policies/default/v1.yaml compiled with random unit prompt embeddings (the rate does not depend on which
// directions they point in); synthetic random unit image embeddings stored as float32 bytes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { replay, type StoredSubmission } from '@clipguard/audit';
import { planPrompts, parsePolicy, seededRandom } from '@clipguard/policy';
import { REPO_ROOT } from '@clipguard/testing';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    dim: { type: 'string', default: '512' },
    frames: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
  },
});
const [count, dim, frames, runs] = [values.count, values.dim, values.frames, values.runs].map(Number);
const random = seededRandom(7);

function unitVector(): Float32Array {
  const v = Float32Array.from({ length: dim }, () => random() * 2 - 1);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

const file = join(REPO_ROOT, 'policies', 'default', 'v1.yaml');
const { policy, hash } = parsePolicy(readFileSync(file, 'utf8'), file);
const prompts = planPrompts(policy);
const compiled = { policy, hash, modelId: 'synthetic', prompts, embeddings: prompts.map(unitVector) };
const stored: StoredSubmission[] = Array.from({ length: count }, (_, i) => {
  const vectors = new Uint8Array(frames * dim * 4);
  for (let f = 0; f < frames; f++) vectors.set(new Uint8Array(unitVector().buffer), f * dim * 4);
  return { submissionId: `s${i}`, decidedAt: new Date(), vectors, frames, previousVerdict: 'allow' };
});

const rates: number[] = [];
for (let r = 0; r < runs; r++) {
  const started = performance.now();
  const result = replay(stored, { compiled, logitScale: 100 });
  const seconds = (performance.now() - started) / 1000;
  rates.push(result.decisions / seconds);
}
rates.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    count,
    dim,
    frames,
    prompts: prompts.length,
    runs: rates.map((r) => Math.round(r)),
    medianDecisionsPerSecond: Math.round(rates[Math.floor(rates.length / 2)]),
  }),
);
