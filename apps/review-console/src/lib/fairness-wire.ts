/**
 * The fairness report and drift report as they arrive over the wire (`GET /v1/console/fairness`,
 * `/v1/console/drift`, see docs/console-api.md). The server-side types live in libs/audit and
 * libs/storage, which are Node code; here numbers without a value are `null` and dates are ISO strings.
 */
export interface WireInterval {
  value: number | null;
  low: number | null;
  high: number | null;
}

export interface WireRate extends WireInterval {
  count: number;
  n: number;
  tooFew: boolean;
}

export interface GroupRates {
  group: string;
  n: number;
  tooFew: boolean;
  flag: WireRate;
  review: WireRate;
  block: WireRate;
  falsePositive: WireRate;
  falseNegative: WireRate;
}

export interface ErrorGap {
  highest: string;
  lowest: string;
  gap: WireInterval;
}

export interface SliceFigures {
  category: string | null;
  title: string;
  groups: GroupRates[];
  favoured: string | null;
  ratios: { group: string; ratio: WireInterval }[];
  falsePositiveGap: ErrorGap | null;
  falseNegativeGap: ErrorGap | null;
}

export interface ProbeFigures {
  probe: string;
  title: string;
  ambiguity: {
    level: number;
    decisions: number;
    withMargin: number;
    ambiguous: WireRate;
    byGroup: { group: string; ambiguous: WireRate }[];
  };
  slices: SliceFigures[];
}

export type FairnessAlert =
  | {
      kind: 'selection_ratio';
      probe: string;
      category: string | null;
      group: string;
      favoured: string;
      ratio: WireInterval;
    }
  | {
      kind: 'false_positive_gap' | 'false_negative_gap';
      probe: string;
      category: string | null;
      highest: string;
      lowest: string;
      gap: WireInterval;
    };

export interface FairnessReport {
  v: 1;
  meta: { tenant?: string; window?: { since: string; until: string }; generatedAt: string };
  policy: { id: string; version: number };
  options: {
    minGroupSize: number;
    confidence: number;
    familyAlpha: number;
    ratioRule: number;
    minGap: number;
    ambiguousMargin: number;
  };
  decisions: number;
  labelled: number;
  qaSampled: number;
  totals: { category: string | null; title: string; all: GroupRates }[];
  comparisons: number;
  simultaneousZ: number;
  probes: ProbeFigures[];
  alerts: FairnessAlert[];
}

type VerdictShares = Record<'allow' | 'review' | 'block', { count: number; share: number }>;

export interface DriftReport {
  v: 1;
  policy: { id: string; version: number };
  tenant: string;
  window: { since: string; until: string };
  bins: number;
  level: number;
  days: {
    day: string;
    decisions: number;
    verdicts: VerdictShares;
    scores: { category: string; counts: number[] }[];
  }[];
  baseline: { since: string; until: string; decisions: number; complete: boolean } | null;
  stability: {
    since: string;
    decisions: number;
    figures: {
      category: string | null;
      baseline: number;
      current: number;
      psi: { value: number | null };
      drifted: boolean;
    }[];
  } | null;
}
