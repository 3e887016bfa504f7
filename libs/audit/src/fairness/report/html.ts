import { htmlPage, renderChartSvg } from '@clipguard/reports';
import type { FairnessFigures, ProbeFigures } from '../figures';
import { errorRatesChart, RATIO_AXIS_MAX, ratesChart, ratioChart } from './charts';
import { esc, pct } from './format';
import type { ReportMeta } from './json';
import { alertList, sliceTable, totalsTable } from './tables';

const CSS = `.few{color:#7b8794}.none{color:#9aa5b1}.alert{background:#fee2e2;color:#991b1b}
.badge{font-size:11px;background:#e4e7eb;border-radius:3px;padding:0 4px;margin-left:4px;font-weight:normal}
.note{background:#fff7ed;border-left:4px solid #fb923c;padding:.5rem .75rem;margin:.75rem 0}
.ok{background:#ecfdf5;border-left:4px solid #10b981;padding:.5rem .75rem}
ul.alerts{background:#fef2f2;border-left:4px solid #dc2626;padding:.5rem .5rem .5rem 2rem}
figure{margin:.75rem 0}figcaption{color:#52606d;font-size:13px}td small{color:#7b8794}
details{margin:.5rem 0}summary{cursor:pointer;font-weight:600}`;

function ambiguityNote(p: ProbeFigures): string {
  const a = p.ambiguity;
  if (a.withMargin === 0)
    return `<p class="note">The probe's margin was not recorded for these decisions, so its ambiguity is unknown.</p>`;
  const groups = a.byGroup.map((g) => `${esc(g.group)} ${pct(g.ambiguous.value)}`).join(', ');
  return (
    `<p class="note"><b>The probe itself can be wrong.</b> ${pct(a.ambiguous.value)} ` +
    `<small>[${pct(a.ambiguous.low)}–${pct(a.ambiguous.high)}]</small> of ${a.withMargin} probe results were ambiguous ` +
    `(top value less than ${a.level} ahead of the next): ${groups}. Groups are what CLIP perceives, not who is pictured.</p>`
  );
}

async function figure(spec: Parameters<typeof renderChartSvg>[0], caption: string): Promise<string> {
  return `<figure>${await renderChartSvg(spec)}<figcaption>${caption}</figcaption></figure>`;
}

async function probeSection(f: FairnessFigures, p: ProbeFigures): Promise<string> {
  const [overall, ...categories] = p.slices;
  const charts = [
    await figure(
      ratesChart(p, f),
      'Rates per group over all categories, with 95% Wilson intervals; dashed: the rate over every decision.',
    ),
    await figure(
      errorRatesChart(p, f),
      'False positive and false negative rates per group, from moderator labels, with 95% Wilson intervals.',
    ),
    await figure(
      ratioChart(p, f),
      'Flag-rate ratio of the most favoured group to each group, per category, with simultaneous intervals ' +
        `(cut at ${RATIO_AXIS_MAX}); red: an alert. Categories no group was flagged for are left out.`,
    ),
  ];
  const details = categories
    .map(
      (s) =>
        `<details><summary>${esc(s.title)} <code>${esc(s.category ?? '')}</code></summary>${sliceTable(f, p, s)}</details>`,
    )
    .join('');
  return (
    `<section><h2>${esc(p.title)} <code>${esc(p.probe)}</code></h2>${ambiguityNote(p)}${charts.join('')}` +
    `<h3>All categories</h3>${overall ? sliceTable(f, p, overall) : ''}<h3>Per category</h3>${details}</section>`
  );
}

function method(f: FairnessFigures): string {
  const o = f.options;
  return `<h2>How to read this</h2><ul>
<li>Rates have 95% Wilson intervals. A group with fewer than ${o.minGroupSize} decisions (or labels, for the error rates) is marked <span class="badge">too few</span> and never alerts.</li>
<li>Flagging is the adverse outcome: the selection-rate ratio is the most favoured (least flagged) group's flag rate divided by a group's (Fairlearn's demographic parity ratio, per group). It alerts below ${o.ratioRule} (the four-fifths rule) only when its whole interval lies below parity.</li>
<li>False positive rate: of the flagged decisions a moderator saw, the share the moderator allowed. False negative rate: of the automatic allows in the random QA sample, the share the moderator blocked. The largest gap between groups alerts when it is at least ${pct(o.minGap)} and its interval excludes 0.</li>
<li>Ratio and gap intervals (Katz log, Newcombe hybrid score) are simultaneous over the ${f.comparisons} group comparisons in this report (Bonferroni, z = ${f.simultaneousZ.toFixed(2)}): the chance that noise alone raises any alert is at most ${pct(o.familyAlpha, 0)}.</li></ul>`;
}

/** The whole report as one self-contained HTML page (inline SVG charts, no scripts). */
export async function renderFairnessHtml(f: FairnessFigures, meta: ReportMeta): Promise<string> {
  const title = meta.title ?? `Fairness report: ${f.policy.id} v${f.policy.version}`;
  const day = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');
  const window = meta.window
    ? `${day(meta.window.since)} to ${day(meta.window.until)} UTC`
    : 'all stored decisions';
  const summary =
    `<p>Policy <code>${esc(f.policy.id)}</code> v${f.policy.version}${meta.tenant ? `, tenant <code>${esc(meta.tenant)}</code>` : ''}; ` +
    `${window}. ${f.decisions} decisions, ${f.labelled} with a moderator label (${f.qaSampled} from the QA sample). ` +
    `<small>Generated ${day(meta.generatedAt)} UTC. Groups with too few observations appear in the tables only.</small></p>`;
  const sections: string[] = [];
  for (const p of f.probes) sections.push(await probeSection(f, p));
  const body =
    `<h1>${esc(title)}</h1>${summary}<h2>Alerts</h2>${alertList(f)}${sections.join('')}` +
    `<h2>Every decision</h2>${totalsTable(f)}${method(f)}`;
  return htmlPage(title, body, CSS);
}
