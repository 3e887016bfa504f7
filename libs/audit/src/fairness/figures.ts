import { gapAlert, ratioAlerts, type FairnessAlert, type SliceRef } from './disparity/alerts';
import { comparisonsIn, largestGap, type ErrorRateGap } from './disparity/gap';
import { favouredGroup, selectionRatios, type SelectionRatio } from './disparity/selection-ratio';
import { probeAmbiguity, type ProbeAmbiguity } from './groups/ambiguity';
import { groupRates, tallyAll, tallyByGroup, type GroupRates } from './groups/metric-frame';
import { categoryOutcome, descendantsOf, overallOutcome, type OutcomeOf } from './groups/outcomes';
import type { AuditedDecision, FairnessSubject, ProbeRef } from './input';
import { parseFairnessOptions, type FairnessOptions, type FairnessOptionsInput } from './options';
import { bonferroniZ, zFor } from './stats/normal';

/** A category, or `null` with the title "All categories" for the decision as a whole. */
interface Slice {
  category: string | null;
  title: string;
  outcome: OutcomeOf;
}

export interface SliceTotals {
  category: string | null;
  title: string;
  all: GroupRates;
}

export interface SliceFigures {
  category: string | null;
  title: string;
  groups: GroupRates[];
  favoured: string | null;
  ratios: SelectionRatio[];
  falsePositiveGap: ErrorRateGap | null;
  falseNegativeGap: ErrorRateGap | null;
}

export interface ProbeFigures {
  probe: string;
  title: string;
  ambiguity: ProbeAmbiguity;
  slices: SliceFigures[];
}

export interface FairnessFigures {
  policy: { id: string; version: number };
  options: FairnessOptions;
  decisions: number;
  labelled: number;
  qaSampled: number;
  /** Every slice over all decisions, whatever their groups (MetricFrame's `overall`). */
  totals: SliceTotals[];
  /** Group comparisons in this report, and the z of the simultaneous intervals of ratios and gaps. */
  comparisons: number;
  simultaneousZ: number;
  probes: ProbeFigures[];
  alerts: FairnessAlert[];
}

function slicesOf(subject: FairnessSubject): Slice[] {
  const below = descendantsOf(subject);
  return [
    { category: null, title: 'All categories', outcome: overallOutcome },
    ...subject.categories.map((c) => ({
      category: c.id,
      title: c.title,
      outcome: categoryOutcome(c.id, below.get(c.id) ?? new Set([c.id])),
    })),
  ];
}

type Rated = { probe: ProbeRef; slice: Slice; groups: GroupRates[] };

function sliceFigures(r: Rated, z: number, options: FairnessOptions) {
  const ref: SliceRef = { probe: r.probe.id, category: r.slice.category };
  const favoured = favouredGroup(r.groups)?.group;
  const ratios = selectionRatios(r.groups, z);
  const fp = largestGap(r.groups, 'falsePositive', z);
  const fn = largestGap(r.groups, 'falseNegative', z);
  const figures: SliceFigures = {
    category: r.slice.category,
    title: r.slice.title,
    groups: r.groups,
    favoured: favoured ?? null,
    ratios,
    falsePositiveGap: fp ?? null,
    falseNegativeGap: fn ?? null,
  };
  const alerts = [
    ...ratioAlerts(ref, favoured, ratios, options),
    ...gapAlert(ref, 'falsePositive', fp, options),
    ...gapAlert(ref, 'falseNegative', fn, options),
  ];
  return { figures, alerts };
}

/**
 * Fairness figures in the style of Fairlearn's MetricFrame: for each attribute probe, each of its groups
 * and each slice (all categories, then each category): rates with Wilson intervals, the four-fifths
 * selection-rate ratio and the largest false positive / false negative gap with simultaneous intervals,
 * and alerts only where an interval excludes parity.
 */
export function computeFairness(
  decisions: readonly AuditedDecision[],
  subject: FairnessSubject,
  optionsInput: FairnessOptionsInput = {},
): FairnessFigures {
  const options = parseFairnessOptions(optionsInput);
  const z = zFor(options.confidence);
  const slices = slicesOf(subject);
  const rated: Rated[] = subject.probes.flatMap((probe) =>
    slices.map((slice) => ({
      probe,
      slice,
      groups: tallyByGroup(decisions, probe, slice.outcome).map((t) =>
        groupRates(t, z, options.minGroupSize),
      ),
    })),
  );
  const comparisons = rated.reduce((m, r) => m + comparisonsIn(r.groups), 0);
  const simultaneousZ = bonferroniZ(options.familyAlpha, comparisons);
  const computed = rated.map((r) => ({ probe: r.probe, ...sliceFigures(r, simultaneousZ, options) }));
  return {
    policy: subject.policy,
    options,
    decisions: decisions.length,
    labelled: decisions.filter((d) => d.label).length,
    qaSampled: decisions.filter((d) => d.label?.source === 'qa').length,
    totals: slices.map((s) => ({
      category: s.category,
      title: s.title,
      all: groupRates(tallyAll(decisions, s.outcome), z, options.minGroupSize),
    })),
    comparisons,
    simultaneousZ,
    probes: subject.probes.map((probe) => ({
      probe: probe.id,
      title: probe.title,
      ambiguity: probeAmbiguity(decisions, probe, options.ambiguousMargin, z),
      slices: computed.filter((c) => c.probe === probe).map((c) => c.figures),
    })),
    alerts: computed.flatMap((c) => c.alerts),
  };
}
