// Rate of `clipguard policy replay` (decisions per second) on stored embeddings in PostgreSQL:
//   nice node -r @swc-node/register tools/fairness/replay-store-rate.ts [--count 10000] [--dim 512] [--runs 3]
// Seeds a fresh database with `count` decided submissions (their embeddings: synthetic random unit vectors,
// one frame, float32 as the decision service stores them; every tenth with a moderator label) through the
// services' own repositories, then times what the command does after encoding the prompts: stream the
// stored embeddings page by page (ReplayRepository), re-decide each with policies/default/v1.yaml (prompt
// embeddings: random unit vectors — the rate does not depend on their directions), tally. Also times the
// same re-deciding from memory, to show what the database costs, and the fairness report's read of the same
// decisions (probes joined from their audit entries, labels from reviews). The database is dropped at the end.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { replay, type StoredSubmission } from '@clipguard/audit';
import { planPrompts, parsePolicy, seededRandom } from '@clipguard/policy';
import { FairnessRepository, ReplayRepository, fairnessOf, replayStored } from '@clipguard/storage';
import { REPO_ROOT, createTestDatabase, seedDecision } from '@clipguard/testing';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    dim: { type: 'string', default: '512' },
    runs: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '4' },
  },
});
const [count, dim, runs, concurrency] = [values.count, values.dim, values.runs, values.concurrency].map(
  Number,
);
const random = seededRandom(11);
const MODEL = 'synthetic/fp32@0000000000000000';

function unitVector(): Float32Array {
  const v = Float32Array.from({ length: dim }, () => random() * 2 - 1);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const file = join(REPO_ROOT, 'policies', 'default', 'v1.yaml');
  const { policy, hash } = parsePolicy(readFileSync(file, 'utf8'), file);
  const prompts = planPrompts(policy);
  const compiled = { policy, hash, modelId: MODEL, prompts, embeddings: prompts.map(unitVector) };
  const target = { compiled, logitScale: 100 };
  const t = await createTestDatabase();
  try {
    const seedStarted = performance.now();
    const frames = Array.from({ length: count }, () => unitVector());
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < count; i = next++)
        await seedDecision(t.db, {
          at: new Date(Date.UTC(2026, 2, 1) + i * 1000).toISOString(),
          modelId: MODEL,
          policy: { id: policy.id, version: policy.version, hash },
          verdict: 'allow',
          frames: [frames[i]],
          attributes: Object.fromEntries(
            policy.attributes.map((a) => [
              a.id,
              { value: a.values[i % a.values.length].id, confidence: 0.8, margin: random() },
            ]),
          ),
          ...(i % 10 === 0
            ? { review: { trigger: 'sample:allow', resolve: 'allow' as const, labels: [] } }
            : {}),
        });
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    const repo = new ReplayRepository(t.db);
    const stored: number[] = [];
    for (let r = 0; r < runs; r++) {
      const run = await replayStored(repo, { policyId: policy.id, modelId: MODEL }, target, count);
      if (run.decisions !== count) throw new Error(`replayed ${run.decisions} of ${count}`);
      stored.push(run.decisions / run.seconds);
    }
    // The fairness report's read of the same decisions: each with its audit entry's probes and its label.
    const report: number[] = [];
    for (let r = 0; r < runs; r++) {
      const started = performance.now();
      const { figures } = await fairnessOf(
        new FairnessRepository(t.db),
        policy,
        {},
        { minGroupSize: 30, maxDecisions: count },
      );
      if (figures.decisions !== count) throw new Error(`read ${figures.decisions} of ${count}`);
      report.push(count / ((performance.now() - started) / 1000));
    }
    const inMemory: StoredSubmission[] = frames.map((f, i) => ({
      submissionId: String(i),
      decidedAt: new Date(),
      vectors: new Uint8Array(f.buffer),
      frames: 1,
      previousVerdict: 'allow',
    }));
    const memory: number[] = [];
    for (let r = 0; r < runs; r++) {
      const started = performance.now();
      replay(inMemory, target);
      memory.push(count / ((performance.now() - started) / 1000));
    }
    console.log(
      JSON.stringify({
        count,
        dim,
        prompts: prompts.length,
        seedSeconds: Math.round(seedSeconds),
        storedDecisionsPerSecond: stored.map(Math.round),
        medianStored: Math.round(median(stored)),
        inMemoryDecisionsPerSecond: memory.map(Math.round),
        medianInMemory: Math.round(median(memory)),
        fairnessReportDecisionsPerSecond: report.map(Math.round),
        medianFairnessReport: Math.round(median(report)),
      }),
    );
  } finally {
    await t.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
