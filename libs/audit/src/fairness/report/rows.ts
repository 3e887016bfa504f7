import type { FairnessAlert } from '../disparity/alerts';
import type { FairnessFigures, SliceFigures } from '../figures';
import type { GroupRates, MeasuredRate } from '../groups/metric-frame';
import type { Interval, Rate } from '../stats/intervals';

/** `(all)` is never a category or group id (ids start with a letter), so it cannot collide with one. */
export const ALL = '(all)';

export const METRICS = [
  'flag_rate',
  'review_rate',
  'block_rate',
  'false_positive_rate',
  'false_negative_rate',
  'selection_ratio',
  'false_positive_gap',
  'false_negative_gap',
  'ambiguous_share',
] as const;
export type MetricName = (typeof METRICS)[number];

/** One figure per row (tidy data): what the CSV holds, one line each. */
export interface FigureRow {
  probe: string;
  category: string;
  group: string;
  metric: MetricName;
  /** The favoured group of a ratio, the lowest group of a gap. */
  reference: string | null;
  count: number | null;
  n: number | null;
  value: number;
  low: number;
  high: number;
  tooFew: boolean | null;
  alert: boolean;
}

const RATES: [
  MetricName,
  keyof Pick<GroupRates, 'flag' | 'review' | 'block' | 'falsePositive' | 'falseNegative'>,
][] = [
  ['flag_rate', 'flag'],
  ['review_rate', 'review'],
  ['block_rate', 'block'],
  ['false_positive_rate', 'falsePositive'],
  ['false_negative_rate', 'falseNegative'],
];

type Where = { probe: string; category: string };

const rateRow = (w: Where, group: string, metric: MetricName, r: Rate | MeasuredRate): FigureRow => ({
  ...w,
  group,
  metric,
  reference: null,
  count: r.count,
  n: r.n,
  value: r.value,
  low: r.low,
  high: r.high,
  tooFew: 'tooFew' in r ? r.tooFew : null,
  alert: false,
});

const intervalRow = (
  w: Where,
  group: string,
  metric: MetricName,
  reference: string,
  i: Interval,
  alert: boolean,
): FigureRow => ({
  ...w,
  group,
  metric,
  reference,
  count: null,
  n: null,
  ...i,
  tooFew: null,
  alert,
});

function sliceRows(probe: string, s: SliceFigures, alerts: readonly FairnessAlert[]): FigureRow[] {
  const w = { probe, category: s.category ?? ALL };
  const alerted = (kind: FairnessAlert['kind'], group: string) =>
    alerts.some(
      (a) =>
        a.probe === probe &&
        a.category === s.category &&
        a.kind === kind &&
        (a.kind === 'selection_ratio' ? a.group : a.highest) === group,
    );
  const rows = s.groups.flatMap((g) => RATES.map(([metric, key]) => rateRow(w, g.group, metric, g[key])));
  for (const r of s.ratios)
    rows.push(
      intervalRow(
        w,
        r.group,
        'selection_ratio',
        s.favoured ?? '',
        r.ratio,
        alerted('selection_ratio', r.group),
      ),
    );
  for (const [metric, kind, gap] of [
    ['false_positive_gap', 'false_positive_gap', s.falsePositiveGap],
    ['false_negative_gap', 'false_negative_gap', s.falseNegativeGap],
  ] as const) {
    if (gap) rows.push(intervalRow(w, gap.highest, metric, gap.lowest, gap.gap, alerted(kind, gap.highest)));
  }
  return rows;
}

/** Every figure of the report as rows: totals, then per probe its ambiguity and its slices. */
export function figureRows(f: FairnessFigures): FigureRow[] {
  const totals = f.totals.flatMap((t) =>
    RATES.map(([metric, key]) =>
      rateRow({ probe: ALL, category: t.category ?? ALL }, ALL, metric, t.all[key]),
    ),
  );
  const probes = f.probes.flatMap((p) => [
    rateRow({ probe: p.probe, category: ALL }, ALL, 'ambiguous_share', p.ambiguity.ambiguous),
    ...p.ambiguity.byGroup.map((g) =>
      rateRow({ probe: p.probe, category: ALL }, g.group, 'ambiguous_share', g.ambiguous),
    ),
    ...p.slices.flatMap((s) => sliceRows(p.probe, s, f.alerts)),
  ]);
  return [...totals, ...probes];
}
