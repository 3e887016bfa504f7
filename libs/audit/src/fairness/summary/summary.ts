import type { FairnessAlert } from '../disparity/alerts';
import type { ErrorRateGap } from '../disparity/gap';
import type { FairnessFigures, ProbeFigures, SliceFigures } from '../figures';
import type { Interval } from '../stats/intervals';

/** A number that survives JSON as itself: NaN (no observations) and ±∞ (an open bound) become null. */
export type Figure = number | null;
const fig = (v: number): Figure => (Number.isFinite(v) ? v : null);
const interval = (i: Interval) => ({ value: fig(i.value), low: fig(i.low), high: fig(i.high) });
export type IntervalFigure = ReturnType<typeof interval>;

export interface GroupSummary {
  group: string;
  n: number;
  tooFew: boolean;
  flagRate: Figure;
  falsePositiveRate: Figure;
  falseNegativeRate: Figure;
}

export interface GapSummary extends IntervalFigure {
  highest: string;
  lowest: string;
}

/** One probe over all categories: what an operator reads first, and what a baseline is compared on. */
export interface ProbeSummary {
  probe: string;
  ambiguousShare: Figure;
  groups: GroupSummary[];
  /** The lowest selection-rate ratio (most adverse), against the most favoured group. */
  lowestRatio: (IntervalFigure & { group: string; favoured: string }) | null;
  falsePositiveGap: GapSummary | null;
  falseNegativeGap: GapSummary | null;
}

/** The figures' summary an audit entry or a baseline keeps: small, JSON-safe, and every alert. */
export interface FairnessSummary {
  policy: { id: string; version: number };
  decisions: number;
  labelled: number;
  qaSampled: number;
  comparisons: number;
  minGroupSize: number;
  alerts: (Omit<FairnessAlert, 'ratio' | 'gap'> & { interval: IntervalFigure })[];
  probes: ProbeSummary[];
}

const gap = (g: ErrorRateGap | null): GapSummary | null =>
  g && { highest: g.highest, lowest: g.lowest, ...interval(g.gap) };

function lowestRatio(s: SliceFigures): ProbeSummary['lowestRatio'] {
  const lowest = [...s.ratios].sort((a, b) => a.ratio.value - b.ratio.value)[0];
  if (!lowest || s.favoured === null) return null;
  return { group: lowest.group, favoured: s.favoured, ...interval(lowest.ratio) };
}

function probeSummary(p: ProbeFigures): ProbeSummary {
  // computeFairness puts the all-categories slice first.
  const [overall] = p.slices;
  return {
    probe: p.probe,
    ambiguousShare: fig(p.ambiguity.ambiguous.value),
    groups: overall.groups.map((g) => ({
      group: g.group,
      n: g.n,
      tooFew: g.tooFew,
      flagRate: fig(g.flag.value),
      falsePositiveRate: fig(g.falsePositive.value),
      falseNegativeRate: fig(g.falseNegative.value),
    })),
    lowestRatio: lowestRatio(overall),
    falsePositiveGap: gap(overall.falsePositiveGap),
    falseNegativeGap: gap(overall.falseNegativeGap),
  };
}

export function summarizeFairness(f: FairnessFigures): FairnessSummary {
  return {
    policy: f.policy,
    decisions: f.decisions,
    labelled: f.labelled,
    qaSampled: f.qaSampled,
    comparisons: f.comparisons,
    minGroupSize: f.options.minGroupSize,
    alerts: f.alerts.map((a) => {
      if (a.kind === 'selection_ratio') {
        const { ratio, ...rest } = a;
        return { ...rest, interval: interval(ratio) };
      }
      const { gap: g, ...rest } = a;
      return { ...rest, interval: interval(g) };
    }),
    probes: f.probes.map(probeSummary),
  };
}
