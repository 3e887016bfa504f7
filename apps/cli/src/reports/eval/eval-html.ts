import type { CategoryEvaluation, EvaluationReport, Interval } from '@clipguard/policy';
import type { PromptAblation } from './ablation';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (v: number | null | undefined, d = 3) =>
  v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(d);
const ci = (i: Interval) => `${num(i.value)} <small>[${num(i.low)}, ${num(i.high)}]</small>`;

/** A precision–recall curve as inline SVG (no scripts, no external assets). */
function prSvg(c: CategoryEvaluation): string {
  const w = 260;
  const h = 200;
  const pad = 30;
  const x = (r: number) => pad + r * (w - pad - 10);
  const y = (p: number) => h - pad - p * (h - pad - 10);
  const points = [{ recall: 0, precision: 1 }, ...c.curve].map(
    (p) => `${x(p.recall).toFixed(1)},${y(p.precision).toFixed(1)}`,
  );
  const rec = c.recommended
    ? `<circle cx="${x(c.recommended.recall)}" cy="${y(c.recommended.precision)}" r="4" fill="#d33"/>`
    : '';
  return `<svg width="${w}" height="${h}" role="img" aria-label="precision-recall curve for ${esc(c.id)}">
<rect x="${pad}" y="10" width="${w - pad - 10}" height="${h - pad - 10}" fill="#fafafa" stroke="#ccc"/>
<polyline fill="none" stroke="#2563eb" stroke-width="2" points="${points.join(' ')}"/>${rec}
<text x="${w / 2}" y="${h - 8}" font-size="11" text-anchor="middle">recall</text>
<text x="10" y="${h / 2}" font-size="11" transform="rotate(-90 10 ${h / 2})" text-anchor="middle">precision</text>
</svg>`;
}

export function renderEvaluationHtml(
  report: EvaluationReport,
  title: string,
  ablation?: PromptAblation[],
): string {
  const cats = report.categories
    .map(
      (c) => `<section><h3>${esc(c.title)} <code>${esc(c.id)}</code></h3><div class="row">${prSvg(c)}<div>
<table><tr><th>positives</th><td>${c.positives}</td></tr>
<tr><th>precision @ review ${c.reviewThreshold}</th><td>${ci(c.precision)}</td></tr>
<tr><th>recall @ review</th><td>${ci(c.recall)}</td></tr><tr><th>F1 @ review</th><td>${ci(c.f1)}</td></tr>
<tr><th>ROC-AUC</th><td>${ci(c.rocAuc)}</td></tr><tr><th>average precision</th><td>${ci(c.averagePrecision)}</td></tr>
<tr><th>threshold for precision ≥ ${report.targetPrecision}</th><td>${c.recommended ? `${num(c.recommended.threshold, 4)} (recall ${num(c.recommended.recall)})` : 'not reachable'}</td></tr></table>
<table><tr><th>target precision</th><th>threshold</th><th>recall</th></tr>${c.sweep
        .map(
          (s) =>
            `<tr><td>${s.targetPrecision}</td><td>${num(s.threshold, 4)}</td><td>${num(s.recall)}</td></tr>`,
        )
        .join('')}</table></div></div></section>`,
    )
    .join('\n');
  const confusion = (['clean', 'harmful'] as const)
    .map(
      (t) =>
        `<tr><th>${t}</th>${(['allow', 'review', 'block'] as const).map((v) => `<td>${report.confusion[t][v]}</td>`).join('')}</tr>`,
    )
    .join('');
  const mistakes = (rows: EvaluationReport['falsePositives']) =>
    rows
      .map(
        (m) =>
          `<tr><td>${esc(m.path)}</td><td>${esc(m.category)}</td><td>${num(m.score)}</td><td>${m.verdict}</td></tr>`,
      )
      .join('');
  const ablated = ablation?.length
    ? `<h2>Prompt ablation</h2><p>Average precision lost when each prompt is dropped (positive: the prompt helps).</p>
<table><tr><th>category</th><th>prompt</th><th>AP without</th><th>contribution</th></tr>${ablation
        .map(
          (a) =>
            `<tr><td>${esc(a.category)}</td><td>${esc(a.prompt)}</td><td>${num(a.averagePrecision)}</td><td>${num(a.contribution, 4)}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:0 1em 1em 0}
td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}.row{display:flex;gap:1em;flex-wrap:wrap}small{color:#666}</style></head>
<body><h1>${esc(title)}</h1><p>${report.images} labelled images. Intervals are bootstrap 95% intervals.</p>
<h2>Verdicts</h2><table><tr><th>truth \\ verdict</th><th>allow</th><th>review</th><th>block</th></tr>${confusion}</table>
<h2>Categories</h2>${cats}
<h2>Most confident mistakes</h2><h3>False positives (clean images flagged)</h3>
<table><tr><th>image</th><th>category</th><th>score</th><th>verdict</th></tr>${mistakes(report.falsePositives)}</table>
<h3>False negatives (harmful images allowed)</h3>
<table><tr><th>image</th><th>category</th><th>score</th><th>verdict</th></tr>${mistakes(report.falseNegatives)}</table>
${ablated}</body></html>
`;
}
