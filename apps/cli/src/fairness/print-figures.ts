import type { FairnessAlert, FairnessFigures, MeasuredRate, ReplayTally } from '@clipguard/audit';
import { formatTable, type CliIo } from '../output';

const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '–');
const rate = (r: MeasuredRate) =>
  r.n === 0 ? '–' : `${pct(r.value)} [${pct(r.low)}–${pct(r.high)}]${r.tooFew ? ' (too few)' : ''}`;
const num = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '–');

export function alertLine(a: FairnessAlert): string {
  const where = `${a.probe}, ${a.category ?? 'all categories'}`;
  if (a.kind === 'selection_ratio')
    return `${where}: ${a.group} is flagged more than ${a.favoured}: ratio ${num(a.ratio.value)} [${num(a.ratio.low)}–${num(a.ratio.high)}] < four fifths`;
  const name = a.kind === 'false_positive_gap' ? 'false positive' : 'false negative';
  return `${where}: ${name} rate of ${a.highest} exceeds ${a.lowest} by ${pct(a.gap.value)} [${pct(a.gap.low)}–${pct(a.gap.high)}]`;
}

/** Counts, alerts, and per probe the groups' rates over all categories, as a table. */
export function printFigures(io: CliIo, f: FairnessFigures, heading: string): void {
  io.out(
    `${heading}: ${f.decisions} decisions, ${f.labelled} with a moderator label (${f.qaSampled} QA); ` +
      `${f.alerts.length} alert${f.alerts.length === 1 ? '' : 's'}`,
  );
  for (const a of f.alerts) io.out(`  alert  ${alertLine(a)}`);
  for (const p of f.probes) {
    const overall = p.slices.find((s) => s.category === null);
    if (!overall) continue;
    const ratio = new Map(overall.ratios.map((r) => [r.group, r.ratio]));
    io.out('');
    io.out(
      `${p.title} (${p.probe}): ${pct(p.ambiguity.ambiguous.value)} of ${p.ambiguity.withMargin} probe results ambiguous (margin < ${p.ambiguity.level})`,
    );
    io.out(
      formatTable([
        ['group', 'n', 'flag rate', 'false positives', 'false negatives', 'ratio to favoured'],
        ...overall.groups.map((g) => {
          const r = ratio.get(g.group);
          return [
            g.group,
            String(g.n),
            rate(g.flag),
            rate(g.falsePositive),
            rate(g.falseNegative),
            r ? `${num(r.value)} [${num(r.low)}–${num(r.high)}]` : g.tooFew ? 'too few' : '–',
          ];
        }),
      ]),
    );
  }
}

/** Stored verdicts (rows) against replayed ones (columns). */
export function printTransitions(io: CliIo, t: ReplayTally): void {
  const verdicts = ['allow', 'review', 'block'] as const;
  io.out(
    formatTable([
      ['stored \\ replayed', ...verdicts],
      ...verdicts.map((from) => [from, ...verdicts.map((to) => String(t.transitions[from][to]))]),
    ]),
  );
  io.out(`${t.changed} of ${t.decisions} verdicts change`);
  if (t.labelled)
    io.out(
      `against ${t.labelled} moderator labels: ${t.fixed} fixed, ${t.broken} broken ` +
        `(agreed before ${t.agreedBefore}, after ${t.agreedAfter})`,
    );
}
