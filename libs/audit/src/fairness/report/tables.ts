import type { FairnessFigures, ProbeFigures, SliceFigures } from '../figures';
import type { GroupRates } from '../groups/metric-frame';
import { dec, esc, intervalCell, pct, rateCell } from './format';

const HEAD =
  '<tr><th>group</th><th>n</th><th>flag rate</th><th>review rate</th><th>block rate</th>' +
  '<th>false positive rate</th><th>false negative rate</th><th>ratio to favoured</th></tr>';

function groupRow(f: FairnessFigures, p: ProbeFigures, s: SliceFigures, g: GroupRates): string {
  const ratio = s.ratios.find((r) => r.group === g.group);
  const alert = f.alerts.some(
    (a) =>
      a.kind === 'selection_ratio' && a.probe === p.probe && a.category === s.category && a.group === g.group,
  );
  const favoured = s.favoured === g.group ? ' <small>(favoured)</small>' : '';
  const few = g.tooFew ? ' <span class="badge">too few</span>' : '';
  return (
    `<tr><th>${esc(g.group)}${favoured}${few}</th><td>${g.n}</td>${rateCell(g.flag)}${rateCell(g.review)}` +
    `${rateCell(g.block)}${rateCell(g.falsePositive, true)}${rateCell(g.falseNegative, true)}` +
    `${ratio ? intervalCell(ratio.ratio, 2, alert) : '<td class="none">–</td>'}</tr>`
  );
}

function gapLine(label: string, gap: SliceFigures['falsePositiveGap'], alert: boolean): string {
  if (!gap) return `<li>${label}: fewer than two groups with enough labels.</li>`;
  const cls = alert ? ' class="alert"' : '';
  return (
    `<li${cls}>${label}: ${esc(gap.highest)} − ${esc(gap.lowest)} = ${pct(gap.gap.value)} ` +
    `<small>[${pct(gap.gap.low)} to ${pct(gap.gap.high)}]</small></li>`
  );
}

/** One table per slice: every group's figures, then the largest error-rate gaps. */
export function sliceTable(f: FairnessFigures, p: ProbeFigures, s: SliceFigures): string {
  const gapAlerted = (kind: string) =>
    f.alerts.some((a) => a.kind === kind && a.probe === p.probe && a.category === s.category);
  return (
    `<table>${HEAD}${s.groups.map((g) => groupRow(f, p, s, g)).join('')}</table>` +
    `<ul class="gaps">${gapLine('largest false positive gap', s.falsePositiveGap, gapAlerted('false_positive_gap'))}` +
    `${gapLine('largest false negative gap', s.falseNegativeGap, gapAlerted('false_negative_gap'))}</ul>`
  );
}

/** Every decision together, whatever its groups (MetricFrame's `overall`), per slice. */
export function totalsTable(f: FairnessFigures): string {
  const rows = f.totals
    .map(
      (t) =>
        `<tr><th>${esc(t.title)}</th><td>${t.all.n}</td>${rateCell(t.all.flag)}${rateCell(t.all.review)}` +
        `${rateCell(t.all.block)}${rateCell(t.all.falsePositive, true)}${rateCell(t.all.falseNegative, true)}</tr>`,
    )
    .join('');
  return (
    '<table><tr><th>slice</th><th>n</th><th>flag rate</th><th>review rate</th><th>block rate</th>' +
    `<th>false positive rate</th><th>false negative rate</th></tr>${rows}</table>`
  );
}

export function alertList(f: FairnessFigures): string {
  if (f.alerts.length === 0)
    return `<p class="ok">No alerts: no difference between groups is both beyond the rules below and outside what noise explains.</p>`;
  const where = (category: string | null) => (category === null ? 'all categories' : esc(category));
  const items = f.alerts.map((a) =>
    a.kind === 'selection_ratio'
      ? `<li><b>${esc(a.probe)} / ${where(a.category)}</b>: <b>${esc(a.group)}</b> is flagged at ${dec(1 / a.ratio.value)}× the rate of ${esc(a.favoured)} (ratio ${dec(a.ratio.value)} <small>[${dec(a.ratio.low)}–${dec(a.ratio.high)}]</small>, below ${f.options.ratioRule})</li>`
      : `<li><b>${esc(a.probe)} / ${where(a.category)}</b>: ${a.kind === 'false_positive_gap' ? 'false positive' : 'false negative'} rate of <b>${esc(a.highest)}</b> exceeds ${esc(a.lowest)}'s by ${pct(a.gap.value)} <small>[${pct(a.gap.low)} to ${pct(a.gap.high)}]</small></li>`,
  );
  return `<ul class="alerts">${items.join('')}</ul>`;
}
