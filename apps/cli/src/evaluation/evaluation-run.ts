import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ClipEngine } from '@clipguard/clip';
import { decide } from '@clipguard/decision';
import {
  evaluatePolicy,
  type CategoryInput,
  type CompiledPolicy,
  type EvaluationOptions,
  type EvaluationReport,
  type LabelledResult,
  type Volumes,
} from '@clipguard/policy';
import { scoreEmbeddings } from '../moderation';
import type { EmbeddedRows, SkippedRow } from './labelled-rows';

export interface Provenance {
  command: string;
  labels: { file: string; sha256: string; rows: number; evaluated: number };
  policy: { id: string; version: number; hash: string; file: string };
  model: string;
  date: string;
  clipguard: string;
}

export interface EvaluationOutput extends EvaluationReport {
  provenance: Provenance;
  skipped: { path: string; line: number; code: string; reason: string }[];
  /** Review queue and automatic blocks if every category took its advised thresholds. */
  advisedVolumes: Volumes;
}

/** Every category (children included) with the thresholds `pick` gives it. */
function retune(
  categories: CategoryInput[],
  pick: (c: CategoryInput) => CategoryInput['thresholds'],
): CategoryInput[] {
  return categories.map((c) => ({
    ...c,
    thresholds: pick(c),
    ...(c.children ? { children: retune(c.children, pick) } : {}),
  }));
}

export function scoreRows(engine: ClipEngine, compiled: CompiledPolicy, run: EmbeddedRows): LabelledResult[] {
  return run.rows.map((row) => {
    const frames = run.embedded.get(row.path)?.embeddings ?? [];
    const scores = scoreEmbeddings(engine, compiled, frames);
    return { path: row.path, truth: row.categories, scores, verdict: decide(compiled, scores).verdict };
  });
}

/**
 * The whole policy re-decided with every category's advised thresholds (children are gated by their
 * parent's review threshold, so the images are re-scored, not only re-compared).
 */
function advisedVolumes(
  engine: ClipEngine,
  compiled: CompiledPolicy,
  run: EmbeddedRows,
  report: EvaluationReport,
): Volumes {
  const advice = new Map(report.categories.map((c) => [c.id, c.advice]));
  const pick = (c: CategoryInput) => {
    const a = advice.get(c.id);
    const block = a?.block?.threshold ?? c.thresholds.block;
    return { review: Math.min(a?.review?.threshold ?? c.thresholds.review, block), block };
  };
  const tuned: CompiledPolicy = {
    ...compiled,
    policy: { ...compiled.policy, categories: retune(compiled.policy.categories, pick) },
  };
  const verdicts = scoreRows(engine, tuned, run).map((r) => r.verdict);
  return {
    images: verdicts.length,
    reviewQueue: verdicts.filter((v) => v === 'review').length,
    autoBlock: verdicts.filter((v) => v === 'block').length,
  };
}

export const sha256Of = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

export function evaluate(
  engine: ClipEngine,
  compiled: CompiledPolicy,
  run: EmbeddedRows,
  options: EvaluationOptions,
  provenance: Omit<Provenance, 'model' | 'date' | 'clipguard' | 'policy'> & { policyFile: string },
): { output: EvaluationOutput; results: LabelledResult[] } {
  const results = scoreRows(engine, compiled, run);
  const report = evaluatePolicy(compiled.policy, results, options);
  const { id, version } = compiled.policy;
  const skipped = run.skipped.map((s: SkippedRow) => ({
    path: s.row.path,
    line: s.row.line,
    code: s.code,
    reason: s.reason,
  }));
  const output: EvaluationOutput = {
    provenance: {
      command: provenance.command,
      labels: provenance.labels,
      policy: { id, version, hash: compiled.hash, file: provenance.policyFile },
      model: engine.modelId,
      date: new Date().toISOString(),
      clipguard: '0.1.0',
    },
    skipped,
    ...report,
    advisedVolumes: advisedVolumes(engine, compiled, run, report),
  };
  return { output, results };
}
