import type { ChartSpec } from '@clipguard/reports';
import type { FairnessFigures, ProbeFigures, SliceFigures } from '../figures';
import type { MeasuredRate } from '../groups/metric-frame';

/** Where an interval has no upper end in view (Katz with few counts), the ratio chart stops here. */
export const RATIO_AXIS_MAX = 1.5;

interface Point {
  panel: string;
  group: string;
  value: number;
  low: number;
  high: number;
  /** The same rate over every decision: a reference line in the panel. */
  reference?: number;
  status: 'within' | 'alert';
}

const COLOURS = { domain: ['within', 'alert'], range: ['#2563eb', '#dc2626'] };
const CONFIG = { font: 'system-ui, sans-serif', view: { stroke: '#d9dee3' }, axis: { labelFontSize: 11 } };

const point = (panel: string, group: string, r: MeasuredRate, reference: number): Point => ({
  panel,
  group,
  value: r.value,
  low: r.low,
  high: r.high,
  reference,
  status: 'within',
});

/** Groups with too few observations stay in the tables only: their intervals would swamp the axis. */
const shown = (rows: Point[], rates: MeasuredRate[]) =>
  rows.filter((_, i) => !rates[i].tooFew && Number.isFinite(rows[i].value));

function dotsWithBars(axisTitle: string, format: string, domain?: number[]) {
  const y = { field: 'group', type: 'nominal', title: null, sort: null } as const;
  const scale = domain ? { scale: { domain, nice: false } } : {};
  const x = { type: 'quantitative', title: axisTitle, axis: { format }, ...scale } as const;
  const color = { field: 'status', type: 'nominal', scale: COLOURS, legend: null } as const;
  return [
    {
      mark: { type: 'rule', strokeWidth: 2, clip: true },
      encoding: { y, x: { ...x, field: 'low' }, x2: { field: 'high' }, color },
    },
    {
      mark: { type: 'point', filled: true, size: 70, opacity: 1, clip: true },
      encoding: { y, x: { ...x, field: 'value' }, color },
    },
  ];
}

const referenceLine = {
  mark: { type: 'rule', color: '#9aa5b1', strokeDash: [3, 3] },
  encoding: { x: { field: 'reference', aggregate: 'mean', type: 'quantitative' } },
};

/** One column of panels per measure, groups as rows, dots with interval bars. */
function columnPanels(rows: Point[], order: string[], axisTitle: string): ChartSpec {
  return {
    data: { values: rows },
    facet: {
      column: { field: 'panel', type: 'nominal', title: null, sort: order, header: { labelFontSize: 12 } },
    },
    spec: { width: 220, height: { step: 26 }, layer: [referenceLine, ...dotsWithBars(axisTitle, '.0%')] },
    resolve: { scale: { x: 'independent' } },
    config: CONFIG,
  } as ChartSpec;
}

const overallOf = (p: ProbeFigures): SliceFigures | undefined => p.slices.find((s) => s.category === null);

type RateKey = 'flag' | 'review' | 'block' | 'falsePositive' | 'falseNegative';

function rateRows(p: ProbeFigures, f: FairnessFigures, measures: readonly (readonly [string, RateKey])[]) {
  const total = f.totals.find((t) => t.category === null)?.all;
  const groups = overallOf(p)?.groups ?? [];
  const rates = groups.flatMap((g) => measures.map(([, key]) => g[key]));
  const rows = groups.flatMap((g) =>
    measures.map(([panel, key]) => point(panel, g.group, g[key], total?.[key].value ?? NaN)),
  );
  return shown(rows, rates);
}

/** Flag, review and block rates per group (all categories), 95% Wilson intervals, the all-decisions rate dashed. */
export function ratesChart(p: ProbeFigures, f: FairnessFigures): ChartSpec {
  const measures = [
    ['flag rate', 'flag'],
    ['review rate', 'review'],
    ['block rate', 'block'],
  ] as const;
  return columnPanels(
    rateRows(p, f, measures),
    measures.map((m) => m[0]),
    'share of decisions',
  );
}

/** False positive and false negative rates per group, from moderator labels. */
export function errorRatesChart(p: ProbeFigures, f: FairnessFigures): ChartSpec {
  const measures = [
    ['false positive rate', 'falsePositive'],
    ['false negative rate', 'falseNegative'],
  ] as const;
  return columnPanels(
    rateRows(p, f, measures),
    measures.map((m) => m[0]),
    'share of labelled decisions',
  );
}

/**
 * Selection-rate ratio to the most favoured group per slice, against the four-fifths line and parity. Slices
 * where no group was flagged at all are left out: their ratios are parity with an interval over the whole axis.
 */
export function ratioChart(p: ProbeFigures, f: FairnessFigures): ChartSpec {
  const alerted = (s: SliceFigures, group: string) =>
    f.alerts.some(
      (a) =>
        a.kind === 'selection_ratio' && a.probe === p.probe && a.category === s.category && a.group === group,
    );
  const flaggedAtAll = (s: SliceFigures) => s.groups.some((g) => !g.flag.tooFew && g.flag.count > 0);
  const slices = p.slices.filter(flaggedAtAll);
  const rows: Point[] = slices.flatMap((s) =>
    s.ratios.map((r) => ({
      panel: s.title,
      group: r.group,
      value: r.ratio.value,
      low: r.ratio.low,
      high: Math.min(r.ratio.high, RATIO_AXIS_MAX),
      status: alerted(s, r.group) ? 'alert' : 'within',
    })),
  );
  const line = (at: number, colour: string, dash: number[]) => ({
    mark: { type: 'rule', color: colour, strokeDash: dash, strokeWidth: 1.5 },
    encoding: { x: { datum: at, type: 'quantitative' } },
  });
  const title = `ratio to the most favoured group (red: the ${f.options.ratioRule} rule; grey: parity)`;
  return {
    data: { values: rows },
    facet: {
      row: {
        field: 'panel',
        type: 'nominal',
        title: null,
        sort: slices.map((s) => s.title),
        header: {
          labelOrient: 'top',
          labelAngle: 0,
          labelAnchor: 'start',
          labelAlign: 'left',
          labelFontSize: 12,
          labelPadding: 3,
        },
      },
    },
    spec: {
      width: 420,
      height: { step: 18 },
      layer: [
        line(f.options.ratioRule, '#dc2626', [5, 4]),
        line(1, '#52606d', [2, 2]),
        ...dotsWithBars(title, '.1f', [0, RATIO_AXIS_MAX]),
      ],
    },
    spacing: 14,
    config: CONFIG,
  } as ChartSpec;
}
