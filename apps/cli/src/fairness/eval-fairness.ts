import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  auditedFromDecision,
  compareBaselines,
  computeFairness,
  parseBaseline,
  subjectOf,
  summarizeFairness,
  type BaselineComparison,
  type FairnessBaseline,
} from '@clipguard/audit';
import { decide } from '@clipguard/decision';
import type { CompiledPolicy, LabelledResult } from '@clipguard/policy';
import { resolvePolicyPath } from '@clipguard/storage';
import { formatTable, type CliIo } from '../output';
import { printFigures } from './print-figures';
import { writeFairnessReport } from './write-report';

/** What `policy eval --fairness` knows besides the evaluation's results. */
export interface EvalFairnessRun {
  fairness?: boolean;
  /** The evaluated policy file (or directory: its newest version). */
  policy: string;
  /** The labelled evaluation set. */
  labels: string;
  out?: string;
  modelId: string;
}

const BASELINE = '.fairness.json';
const fig = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(3));

function printComparison(io: CliIo, c: BaselineComparison, version: number): void {
  if (!c.previous) {
    io.out(`no baseline of an earlier version beside v${version}: nothing to compare with`);
    return;
  }
  io.out(
    `\ndisparity of v${version} beside v${c.previous.version}` +
      `${c.sameLabels ? '' : ' (measured on another evaluation set: compare with care)'}: ` +
      `alerts ${c.alerts.previous ?? '–'} → ${c.alerts.current}`,
  );
  io.out(
    formatTable([
      ['probe', 'lowest ratio', 'false positive gap', 'false negative gap'],
      ...c.probes.map((p) => [
        p.probe,
        `${fig(p.lowestRatio.previous?.value)} → ${fig(p.lowestRatio.current?.value)}`,
        `${fig(p.falsePositiveGap.previous?.value)} → ${fig(p.falsePositiveGap.current?.value)}`,
        `${fig(p.falseNegativeGap.previous?.value)} → ${fig(p.falseNegativeGap.current?.value)}`,
      ]),
    ]),
  );
}

/**
 * `policy eval --fairness`: the fairness figures of the evaluation (every labelled image counts as a QA
 * sample: a human label whatever the verdict, so both error rates are measured), and the version's baseline
 * `v<N>.fairness.json` beside its file, set beside the previous version's. The decision service records the
 * baseline in the audit log when the version is activated. Called by the eval command with its results.
 */
export async function evalFairness(
  io: CliIo,
  run: EvalFairnessRun,
  compiled: CompiledPolicy,
  results: readonly LabelledResult[],
): Promise<void> {
  if (!run.fairness) return;
  const now = new Date();
  const decisions = results.map((r) =>
    auditedFromDecision(r.path, now, decide(compiled, r.scores), {
      verdict: r.truth.length ? 'block' : 'allow',
      categories: r.truth,
      source: 'qa',
    }),
  );
  const figures = computeFairness(decisions, subjectOf(compiled.policy));
  io.out('');
  printFigures(io, figures, 'fairness on the evaluation set');
  const { id, version } = compiled.policy;
  const baseline: FairnessBaseline = {
    v: 1,
    policy: { id, version, hash: compiled.hash },
    modelId: run.modelId,
    labels: {
      file: basename(run.labels),
      sha256: createHash('sha256').update(readFileSync(run.labels)).digest('hex'),
      images: results.length,
    },
    generatedAt: now.toISOString(),
    summary: summarizeFairness(figures),
  };
  const file = resolvePolicyPath(run.policy);
  const previousFile = join(dirname(file), `v${version - 1}${BASELINE}`);
  const previous = existsSync(previousFile)
    ? parseBaseline(JSON.parse(readFileSync(previousFile, 'utf8')) as unknown, previousFile)
    : undefined;
  printComparison(io, compareBaselines(previous, baseline), version);
  const target = file.replace(/\.ya?ml$/, BASELINE);
  writeFileSync(target, `${JSON.stringify(baseline, null, 2)}\n`);
  io.err(`wrote ${target} (recorded in the audit log when v${version} is activated)`);
  if (run.out)
    io.err(
      `wrote ${(await writeFairnessReport(run.out, figures, { generatedAt: now, title: `Fairness of ${id} v${version} on ${basename(run.labels)}` })).join(', ')}`,
    );
}
