import type { FairnessOptions } from '../options';
import type { Interval } from '../stats/intervals';
import type { ErrorRateGap, ErrorRateName } from './gap';
import type { SelectionRatio } from './selection-ratio';

/** Where a figure sits: a probe, and a category or `null` for all categories together. */
export interface SliceRef {
  probe: string;
  category: string | null;
}

export type FairnessAlert =
  | (SliceRef & { kind: 'selection_ratio'; group: string; favoured: string; ratio: Interval })
  | (SliceRef & {
      kind: 'false_positive_gap' | 'false_negative_gap';
      highest: string;
      lowest: string;
      gap: Interval;
    });

/**
 * Four-fifths rule with statistics: the ratio is below the rule AND its simultaneous interval lies wholly
 * below parity (1), so a group flagged more often by chance alone does not raise it.
 */
export function ratioAlerts(
  slice: SliceRef,
  favoured: string | undefined,
  ratios: readonly SelectionRatio[],
  options: Pick<FairnessOptions, 'ratioRule'>,
): FairnessAlert[] {
  if (favoured === undefined) return [];
  return ratios
    .filter((r) => r.ratio.value < options.ratioRule && r.ratio.high < 1)
    .map((r) => ({ ...slice, kind: 'selection_ratio', group: r.group, favoured, ratio: r.ratio }));
}

/** An error-rate gap alerts when it is at least `minGap` AND its simultaneous interval excludes 0. */
export function gapAlert(
  slice: SliceRef,
  rate: ErrorRateName,
  gap: ErrorRateGap | undefined,
  options: Pick<FairnessOptions, 'minGap'>,
): FairnessAlert[] {
  if (!gap || gap.gap.value < options.minGap || gap.gap.low <= 0) return [];
  const kind = rate === 'falsePositive' ? 'false_positive_gap' : 'false_negative_gap';
  return [{ ...slice, kind, highest: gap.highest, lowest: gap.lowest, gap: gap.gap }];
}
