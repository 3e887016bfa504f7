import { z } from 'zod';
import { parseOrThrow } from '../errors';
import type { FairnessSummary, IntervalFigure } from './summary';

/**
 * A policy version's fairness baseline: the figures' summary on a labelled evaluation set, written by
 * `clipguard policy eval --fairness` beside the version's file (`v<N>.fairness.json`) and recorded in the
 * audit log when the version is activated.
 */
export interface FairnessBaseline {
  v: 1;
  policy: { id: string; version: number; hash: string };
  modelId: string;
  /** The evaluation set: its file name, the sha256 of its bytes, and how many images were decided. */
  labels: { file: string; sha256: string; images: number };
  generatedAt: string;
  summary: FairnessSummary;
}

const figure = z.number().nullable();
const intervalSchema = z.looseObject({ value: figure, low: figure, high: figure });
const gapSchema = intervalSchema.extend({ highest: z.string(), lowest: z.string() }).nullable();
const summarySchema = z.looseObject({
  policy: z.looseObject({ id: z.string(), version: z.number().int() }),
  decisions: z.number().int(),
  alerts: z.array(z.looseObject({ kind: z.string() })),
  probes: z.array(
    z.looseObject({
      probe: z.string(),
      lowestRatio: intervalSchema.extend({ group: z.string(), favoured: z.string() }).nullable(),
      falsePositiveGap: gapSchema,
      falseNegativeGap: gapSchema,
    }),
  ),
});
const baselineSchema = z.looseObject({
  v: z.literal(1),
  policy: z.looseObject({ id: z.string(), version: z.number().int(), hash: z.string() }),
  modelId: z.string(),
  labels: z.looseObject({ file: z.string(), sha256: z.string(), images: z.number().int() }),
  generatedAt: z.string(),
  summary: summarySchema,
});

/** Reads a baseline from JSON (a file, or an audit entry's body); a wrong shape is a typed error. */
export function parseBaseline(raw: unknown, where: string): FairnessBaseline {
  const baseline = parseOrThrow(
    baselineSchema,
    raw,
    'BASELINE_INVALID',
    `${where} is not a fairness baseline`,
  );
  return baseline as unknown as FairnessBaseline;
}

type Compared<T> = { previous: T | null; current: T | null; change: number | null };

export interface ProbeComparison {
  probe: string;
  lowestRatio: Compared<IntervalFigure>;
  falsePositiveGap: Compared<IntervalFigure>;
  falseNegativeGap: Compared<IntervalFigure>;
}

export interface BaselineComparison {
  previous: { version: number; hash: string; labelsSha256: string } | null;
  /** Whether both baselines were measured on the same evaluation set (the same bytes). */
  sameLabels: boolean;
  alerts: { previous: number | null; current: number };
  probes: ProbeComparison[];
}

function compared<T extends IntervalFigure>(previous: T | null | undefined, current: T | null): Compared<T> {
  const p = previous ?? null;
  const before = p?.value ?? null;
  const after = current?.value ?? null;
  const change = before !== null && after !== null ? after - before : null;
  return { previous: p, current, change };
}

/**
 * A new version's disparity next to the previous version's, probe by probe: the lowest selection-rate
 * ratio and the largest error-rate gaps, each with its interval, and the change of the point values.
 */
export function compareBaselines(
  previous: FairnessBaseline | undefined,
  current: FairnessBaseline,
): BaselineComparison {
  const before = new Map((previous?.summary.probes ?? []).map((p) => [p.probe, p]));
  return {
    previous: previous
      ? { version: previous.policy.version, hash: previous.policy.hash, labelsSha256: previous.labels.sha256 }
      : null,
    sameLabels: previous?.labels.sha256 === current.labels.sha256,
    alerts: {
      previous: previous ? previous.summary.alerts.length : null,
      current: current.summary.alerts.length,
    },
    probes: current.summary.probes.map((p) => {
      const b = before.get(p.probe);
      return {
        probe: p.probe,
        lowestRatio: compared(b?.lowestRatio, p.lowestRatio),
        falsePositiveGap: compared(b?.falsePositiveGap, p.falsePositiveGap),
        falseNegativeGap: compared(b?.falseNegativeGap, p.falseNegativeGap),
      };
    }),
  };
}
