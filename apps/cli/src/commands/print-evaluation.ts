import type { Interval, ThresholdAdvice, Volumes } from '@clipguard/policy';
import { formatTable, type CliIo } from '../output';
import type { EvaluationOutput } from '../evaluation/evaluation-run';

const f = (v: number, d = 3) => (Number.isNaN(v) ? '–' : v.toFixed(d));
/** A value with its bootstrap 95% interval, as the JSON has it. */
export const withInterval = (i: Interval, d = 2) => `${f(i.value, d)} [${f(i.low, d)}, ${f(i.high, d)}]`;
const share = (n: number, of: number) => `${n} (${of ? Math.round((100 * n) / of) : 0}%)`;

/** Two decimals, or two significant digits for a threshold that small (0.00042, not 0.00). */
const t = (v: number) => (v > 0 && v < 0.01 ? v.toPrecision(2) : f(v, 2));

function advised(current: number, a: ThresholdAdvice | null): string {
  if (!a) return `${current} → not reachable`;
  return `${current} → ${t(a.threshold)} [${t(a.low)}, ${t(a.high)}]`;
}

const volumes = (now: Volumes, then: Volumes, key: 'reviewQueue' | 'autoBlock') =>
  `${share(now[key], now.images)} → ${share(then[key], then.images)}`;

export function printEvaluation(io: CliIo, report: EvaluationOutput): void {
  io.out(
    formatTable([
      ['category', 'pos/neg', 'precision@review', 'recall@review', 'F1@review', 'ROC-AUC', 'AP'],
      ...report.categories.map((c) => [
        c.id,
        `${c.positives}/${c.negatives}`,
        withInterval(c.precision),
        withInterval(c.recall),
        withInterval(c.f1),
        withInterval(c.rocAuc),
        withInterval(c.averagePrecision),
      ]),
    ]),
  );
  io.out(
    `\nthreshold advice (review keeps recall ≥ ${report.targetRecall}, block reaches precision ≥ ${report.targetPrecision}; mid-gap thresholds with bootstrap 95% intervals)`,
  );
  io.out(
    formatTable([
      ['category', 'review: now → advised', 'block: now → advised', 'review queue', 'auto-block'],
      ...report.categories.map((c) => [
        c.id,
        advised(c.reviewThreshold, c.advice.review),
        advised(c.blockThreshold, c.advice.block),
        volumes(c.advice.current, c.advice.recommended, 'reviewQueue'),
        volumes(c.advice.current, c.advice.recommended, 'autoBlock'),
      ]),
    ]),
  );
  for (const c of report.categories) for (const w of c.advice.warnings) io.out(`  warning: ${c.id}: ${w}`);
  const v = report.confusion;
  io.out(
    `\nverdicts: clean → allow ${v.clean.allow}, review ${v.clean.review}, block ${v.clean.block}; harmful → allow ${v.harmful.allow}, review ${v.harmful.review}, block ${v.harmful.block}`,
  );
  io.out(
    `whole policy: review queue ${volumes(report.volumes, report.advisedVolumes, 'reviewQueue')}, auto-block ${volumes(report.volumes, report.advisedVolumes, 'autoBlock')} (now → with every advised threshold)`,
  );
}
