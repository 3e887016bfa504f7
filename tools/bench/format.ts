import type { PairedRatio } from './stats';

export const TARGETS = {
  engine: 0.95,
  scan: 0.85,
  pipeline: 0.8,
  naive: 10,
  tuned: 1.2,
  scoreDiff: 1e-3,
  outsideInferenceMs: 20,
};

/** Marks every ratio to the limit above 1: no stage can beat raw `session.run`, so the excess is noise. */
export const NOISE = '†';
export const NOISE_NOTE =
  `${NOISE} above 1: nothing beats raw \`session.run\` on the same machine; a ratio above 1 is the noise between ` +
  'adjacent windows (a shared 2-core VM drifts by several per cent within seconds), not a gain.';

export const rate = (x: number | undefined) =>
  x === undefined || Number.isNaN(x) ? '–' : x.toFixed(x < 10 ? 2 : 1);

const times = (x: number) => `${x.toFixed(2)}×`;

/** A ratio to the limit, flagged when above 1. */
export const limitTimes = (x: number) => (x > 1 ? `${times(x)}${NOISE}` : times(x));

/** "0.93× (0.90–0.96)": the median of the pair ratios and their range, each flagged above 1. */
export function pairedTimes(r: PairedRatio | undefined): string {
  if (!r) return '–';
  if (r.ratios.length === 1) return limitTimes(r.median);
  return `${limitTimes(r.median)} (${limitTimes(r.min)}–${limitTimes(r.max)})`;
}

/** A ratio between peers or variants (may well be above 1): "1.86×". */
export function plainTimes(x: number | undefined, of: number | undefined): string {
  return x === undefined || of === undefined || !of || Number.isNaN(x) ? '–' : times(x / of);
}

/** A speed-up measured pair by pair: "1.74× (1.70–1.80)". */
export function speedupTimes(r: PairedRatio | undefined): string {
  if (!r) return '–';
  return r.ratios.length === 1 ? times(r.median) : `${times(r.median)} (${times(r.min)}–${times(r.max)})`;
}

export const ms = (x: number) => `${x.toFixed(0)} ms`;
export const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');

/** "≥ 0.95× met" against the median pair ratio; a median above 1 meets it only within the noise. */
export function target(r: PairedRatio | undefined, goal: number): string {
  if (!r) return '–';
  if (r.median > 1) return `≥ ${goal}× met (at the limit within the noise)`;
  return `≥ ${goal}× ${verdict(r.median >= goal)}`;
}
