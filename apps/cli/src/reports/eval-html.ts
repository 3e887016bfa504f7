import { basename, dirname, isAbsolute, relative } from 'node:path';
import type { CategoryEvaluation, Interval, Mistake, ThresholdAdvice, Volumes } from '@clipguard/policy';
import { escapeHtml as esc, htmlPage, htmlTable, renderChartSvg } from '@clipguard/reports';
import type { EvaluationOutput } from '../evaluation/evaluation-run';
import type { PromptAblation } from './ablation';
import { histogramChart, prChart, reliabilityChart, thresholdMarkers } from './eval-charts';
import { thumbnails } from './thumbnails';

const num = (v: number | null | undefined, d = 3) =>
  v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(d);
/** A threshold: three decimals, or two significant digits when it is that small (0.00042, not 0.000). */
export const threshold = (v: number) => (v > 0 && v < 0.01 ? v.toPrecision(2) : num(v, 3));
const ci = (i: Interval) => `${num(i.value)} <small>[${num(i.low)}, ${num(i.high)}]</small>`;
const pct = (n: number, of: number) => `${n} <small>(${of ? ((100 * n) / of).toFixed(0) : 0}%)</small>`;

const CSS = `body{max-width:1180px}h2{margin-top:2.2rem;border-bottom:1px solid #d9dee3}.charts{display:flex;gap:.5rem;flex-wrap:wrap}
.charts svg{max-width:100%;height:auto}.thumb{width:64px;height:64px;object-fit:contain;background:#f3f5f7;border:1px solid #d9dee3;display:block}
tr.hurts td{background:#fee2e2}.kv th{width:11rem}.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:0 1.5rem}.grid2>div{min-width:0;overflow-x:auto}
ul.warn{margin:.3rem 0;padding-left:1.2rem}.nowrap{white-space:nowrap}p.caption{margin:.2rem 0 1rem;color:#52606d}`;

/** Thumbnails by path, and the labels file's folder: paths are shown as the CSV has them. */
interface Images {
  thumbs: Map<string, string>;
  base: string;
}

const shown = (path: string, base: string) => {
  const rel = relative(base, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
};

function mistakesTable(rows: readonly Mistake[], { thumbs, base }: Images, empty: string): string {
  return htmlTable(
    ['image', 'file', 'category', 'score', 'verdict'],
    rows.map((m) => {
      const src = thumbs.get(m.path);
      return [
        src ? `<img class="thumb" alt="${esc(basename(m.path))}" src="${src}">` : '–',
        `<small>${esc(shown(m.path, base))}</small>`,
        esc(m.category),
        num(m.score),
        m.verdict,
      ];
    }),
    { empty },
  );
}

function adviceRow(name: string, now: number, a: ThresholdAdvice | null): string[] {
  if (!a) return [name, num(now, 2), 'not reachable', '–', '–'];
  return [
    name,
    num(now, 2),
    `<span class="nowrap"><b>${threshold(a.threshold)}</b> <small>[${threshold(a.low)}, ${threshold(a.high)}]</small></span><br><small class="nowrap">same counts in (${threshold(a.gapLow)}, ${threshold(a.gapHigh)}]</small>`,
    num(a.precision),
    num(a.recall),
  ];
}

const volumeRows = (now: Volumes, advised: Volumes) => [
  ['review queue', pct(now.reviewQueue, now.images), pct(advised.reviewQueue, advised.images)],
  ['automatic block', pct(now.autoBlock, now.images), pct(advised.autoBlock, advised.images)],
];

/** The marked thresholds in words: points at the same place on a chart hide one another. */
function thresholdCaption(c: CategoryEvaluation): string {
  const marks = thresholdMarkers(c).map((m) => `${m.kind} ${m.when} <b>${threshold(m.value)}</b>`);
  return `Marked: ${marks.join(' · ')} (orange review, red block; solid or round: now, dashed or diamond: advised).`;
}

async function categorySection(c: CategoryEvaluation, images: Images): Promise<string> {
  const charts = await Promise.all([prChart(c), histogramChart(c), reliabilityChart(c)].map(renderChartSvg));
  const warnings = c.advice.warnings.length
    ? `<ul class="warn">${c.advice.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`
    : '';
  const metrics = htmlTable(
    ['metric', 'value [95% interval]'],
    [
      ['labelled positives / negatives', `${c.positives} / ${c.negatives}`],
      [`precision at review ${c.reviewThreshold}`, ci(c.precision)],
      [`recall at review ${c.reviewThreshold}`, ci(c.recall)],
      ['F1 at review', ci(c.f1)],
      ['ROC-AUC', ci(c.rocAuc)],
      ['average precision', ci(c.averagePrecision)],
      ['calibration error / Brier', `${num(c.calibrationError)} / ${num(c.brier)}`],
    ],
  );
  const advice = htmlTable(
    ['threshold', 'now', 'advised [95% interval]', 'precision', 'recall'],
    [
      adviceRow('review', c.reviewThreshold, c.advice.review),
      adviceRow('block', c.blockThreshold, c.advice.block),
    ],
  );
  const cf = c.confusion;
  const confusion = htmlTable(
    ['labelled \\ score', `below review`, `review (≥ ${c.reviewThreshold})`, `block (≥ ${c.blockThreshold})`],
    (['positive', 'negative'] as const).map((t) => [
      t,
      String(cf[t].below),
      String(cf[t].review),
      String(cf[t].block),
    ]),
  );
  return `<section><h2>${esc(c.title)} <code>${esc(c.id)}</code> <small>action: ${c.action}</small></h2>${warnings}
<div class="grid2"><div><h3>Metrics</h3>${metrics}<h3>This category's confusion</h3>${confusion}</div>
<div><h3>Threshold advice</h3>${advice}<h3>Volumes from this category</h3>${htmlTable(['', 'now', 'advised'], volumeRows(c.advice.current, c.advice.recommended))}</div></div>
<div class="charts">${charts.join('')}</div><p class="caption">${thresholdCaption(c)}</p>
<div class="grid2"><div><h3>False positives <small>(negatives at or above review)</small></h3>${mistakesTable(c.falsePositives, images, 'none')}</div>
<div><h3>False negatives <small>(positives below review)</small></h3>${mistakesTable(c.falseNegatives, images, 'none')}</div></div></section>`;
}

function header(r: EvaluationOutput): string {
  const p = r.provenance;
  const provenance = htmlTable(
    ['', ''],
    [
      ['command', `<code>${esc(p.command)}</code>`],
      ['labels', `${esc(p.labels.file)} <small>sha256:${p.labels.sha256.slice(0, 16)}</small>`],
      [
        'policy',
        `<b>${esc(p.policy.id)} v${p.policy.version}</b> <small>sha256:${p.policy.hash.slice(0, 16)} · ${esc(p.policy.file)}</small>`,
      ],
      ['model', esc(p.model)],
      ['date', esc(p.date)],
      ['clipguard', esc(p.clipguard)],
    ],
    { className: 'kv' },
  ).replace(/<tr><th><\/th><th><\/th><\/tr>/, '');
  const skipped = htmlTable(
    ['line', 'image', 'why'],
    r.skipped.map((s) => [String(s.line), esc(s.path), `${esc(s.reason)} <small>${esc(s.code)}</small>`]),
  );
  return `<p><b>${p.labels.evaluated} of ${p.labels.rows}</b> labelled images evaluated. Intervals are bootstrap 95% intervals.
Review thresholds are advised to keep recall ≥ ${r.targetRecall}, block thresholds to reach precision ≥ ${r.targetPrecision}, each in the middle of the score gap that gives the same counts.</p>
${provenance}<h3>Skipped labelled images</h3>${skipped}`;
}

function ablationSection(ablation: readonly PromptAblation[] | undefined): string {
  if (!ablation) return '';
  return `<h2>Prompt ablation</h2><p>Average precision lost when each prompt is dropped, largest effect first. <b>Highlighted prompts hurt</b>: the category does better without them.</p>
${htmlTable(
  ['category', 'prompt', 'AP without it', 'contribution'],
  ablation.map((a) => [
    esc(a.category),
    esc(a.prompt),
    num(a.averagePrecision),
    `${a.contribution < 0 ? 'hurts ' : ''}${num(a.contribution, 4)}`,
  ]),
  { rowClass: (i) => (ablation[i].contribution < 0 ? 'hurts' : undefined) },
)}`;
}

/** The evaluation as one self-contained page: charts as inline SVG, thumbnails as data URIs, no scripts. */
export async function renderEvaluationHtml(
  r: EvaluationOutput,
  ablation?: readonly PromptAblation[],
): Promise<string> {
  const all = [
    ...r.falsePositives,
    ...r.falseNegatives,
    ...r.categories.flatMap((c) => [...c.falsePositives, ...c.falseNegatives]),
  ];
  const images = {
    thumbs: await thumbnails(all.map((m) => m.path)),
    base: dirname(r.provenance.labels.file),
  };
  const title = `Policy ${r.provenance.policy.id} v${r.provenance.policy.version} on ${r.provenance.model}`;
  const v = r.confusion;
  const verdicts = htmlTable(
    ['truth \\ verdict', 'allow', 'review', 'block'],
    (['clean', 'harmful'] as const).map((t) => [
      t,
      String(v[t].allow),
      String(v[t].review),
      String(v[t].block),
    ]),
  );
  const categories = await Promise.all(r.categories.map((c) => categorySection(c, images)));
  const body = `<h1>${esc(title)}</h1>${header(r)}
<h2>Verdicts</h2><div class="grid2"><div>${verdicts}</div><div>${htmlTable(['whole policy', 'now', 'every advised threshold'], volumeRows(r.volumes, r.advisedVolumes))}</div></div>
${categories.join('\n')}
<h2>Verdict mistakes</h2><div class="grid2"><div><h3>Clean images flagged</h3>${mistakesTable(r.falsePositives, images, 'none')}</div>
<div><h3>Harmful images allowed</h3>${mistakesTable(r.falseNegatives, images, 'none')}</div></div>
${ablationSection(ablation)}`;
  return htmlPage(title, body, CSS);
}
