import type { CategoryEvaluation, CurvePoint } from '@clipguard/policy';
import type { ChartSpec } from '@clipguard/reports';

const SIZE = { width: 250, height: 190 };
const UNIT = { domain: [0, 1], nice: false };
const AXIS = { grid: true, tickCount: 5, format: '.1f' };
const COLORS = {
  curve: '#2563eb',
  review: '#d97706',
  block: '#dc2626',
  positive: '#dc2626',
  negative: '#64748b',
};

/** Precision and recall at threshold t: the curve's point with the smallest threshold at or above t. */
export function pointAt(curve: readonly CurvePoint[], t: number): { precision: number; recall: number } {
  const at = curve.filter((p) => p.threshold >= t).at(-1);
  return at ?? { precision: 1, recall: 0 };
}

interface Marker {
  kind: 'review' | 'block';
  when: 'now' | 'advised';
  value: number;
}

/** The thresholds a chart marks: the category's current ones, and the advised ones where advice exists. */
export function thresholdMarkers(c: CategoryEvaluation): Marker[] {
  const markers: Marker[] = [
    { kind: 'review', when: 'now', value: c.reviewThreshold },
    { kind: 'block', when: 'now', value: c.blockThreshold },
  ];
  if (c.advice.review) markers.push({ kind: 'review', when: 'advised', value: c.advice.review.threshold });
  if (c.advice.block) markers.push({ kind: 'block', when: 'advised', value: c.advice.block.threshold });
  return markers;
}

/** Orange review, red block; solid or round for the thresholds now, dashed or diamond for the advised ones. */
const KIND = { domain: ['review', 'block'], range: [COLORS.review, COLORS.block] };
const LEGEND = { title: null, orient: 'bottom' as const };

/** Precision against recall, with the current and advised thresholds as labelled points. */
export function prChart(c: CategoryEvaluation): ChartSpec {
  const curve = [{ recall: 0, precision: c.curve[0]?.precision ?? 1 }, ...c.curve];
  const points = thresholdMarkers(c).map((m) => ({ ...pointAt(c.curve, m.value), ...m }));
  return {
    ...SIZE,
    title: { text: 'Precision–recall', fontSize: 13 },
    layer: [
      {
        data: { values: curve },
        mark: { type: 'line', color: COLORS.curve, strokeWidth: 2, interpolate: 'step-before' },
        encoding: {
          x: { field: 'recall', type: 'quantitative', scale: UNIT, axis: AXIS, title: 'recall' },
          y: { field: 'precision', type: 'quantitative', scale: UNIT, axis: AXIS, title: 'precision' },
        },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 70, opacity: 0.9 },
        encoding: {
          x: { field: 'recall', type: 'quantitative' },
          y: { field: 'precision', type: 'quantitative' },
          color: { field: 'kind', type: 'nominal', scale: KIND, legend: LEGEND },
          shape: {
            field: 'when',
            type: 'nominal',
            scale: { domain: ['now', 'advised'], range: ['circle', 'diamond'] },
            legend: LEGEND,
          },
          tooltip: [{ field: 'kind' }, { field: 'when' }, { field: 'value', format: '.3f' }],
        },
      },
    ],
  };
}

/** Positives above the axis, negatives below it (counts differ by orders of magnitude), thresholds as rules. */
export function histogramChart(c: CategoryEvaluation): ChartSpec {
  const bars = c.histogram.flatMap((b) => [
    { low: b.low, high: b.high, count: b.positives, label: 'labelled positive' },
    { low: b.low, high: b.high, count: -b.negatives, label: 'labelled negative' },
  ]);
  const rules = (kind: Marker['kind']) => ({
    data: { values: thresholdMarkers(c).filter((m) => m.kind === kind) },
    mark: { type: 'rule' as const, strokeWidth: 1.5, color: COLORS[kind] },
    encoding: {
      x: { field: 'value', type: 'quantitative' as const },
      strokeDash: {
        field: 'when',
        type: 'nominal' as const,
        scale: {
          domain: ['now', 'advised'],
          range: [
            [1, 0],
            [5, 3],
          ],
        },
        legend: null,
      },
      tooltip: [{ field: 'kind' }, { field: 'when' }, { field: 'value', format: '.3f' }],
    },
  });
  return {
    ...SIZE,
    title: { text: 'Scores of positives and negatives', fontSize: 13 },
    layer: [
      {
        data: { values: bars },
        mark: { type: 'bar', binSpacing: 0 },
        encoding: {
          x: {
            field: 'low',
            type: 'quantitative',
            bin: { binned: true, step: 0.05 },
            scale: UNIT,
            axis: AXIS,
            title: 'score',
          },
          x2: { field: 'high' },
          y: {
            field: 'count',
            type: 'quantitative',
            stack: null,
            title: 'images',
            axis: { grid: true, labelExpr: 'abs(datum.value)' },
          },
          color: {
            field: 'label',
            type: 'nominal',
            scale: {
              domain: ['labelled positive', 'labelled negative'],
              range: [COLORS.positive, COLORS.negative],
            },
            legend: { title: null, orient: 'bottom' },
          },
        },
      },
      rules('review'),
      rules('block'),
    ],
  };
}

/** Observed positive rate against mean score per bin; on the diagonal, a score means what it says. */
export function reliabilityChart(c: CategoryEvaluation): ChartSpec {
  return {
    ...SIZE,
    title: { text: 'Reliability (calibration)', fontSize: 13 },
    layer: [
      {
        data: {
          values: [
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ],
        },
        mark: { type: 'line', color: '#9ca3af', strokeDash: [4, 3] },
        encoding: {
          x: { field: 'x', type: 'quantitative', scale: UNIT, axis: AXIS, title: 'mean score in bin' },
          y: { field: 'y', type: 'quantitative', scale: UNIT, axis: AXIS, title: 'share positive' },
        },
      },
      {
        data: { values: c.reliability },
        mark: { type: 'line', color: COLORS.curve },
        encoding: {
          x: { field: 'meanScore', type: 'quantitative' },
          y: { field: 'positiveRate', type: 'quantitative' },
        },
      },
      {
        data: { values: c.reliability },
        mark: { type: 'circle', color: COLORS.curve, opacity: 0.85 },
        encoding: {
          x: { field: 'meanScore', type: 'quantitative' },
          y: { field: 'positiveRate', type: 'quantitative' },
          size: {
            field: 'count',
            type: 'quantitative',
            title: 'images in bin',
            legend: { orient: 'bottom' },
          },
          tooltip: [
            { field: 'count' },
            { field: 'meanScore', format: '.3f' },
            { field: 'positiveRate', format: '.3f' },
          ],
        },
      },
    ],
  };
}
