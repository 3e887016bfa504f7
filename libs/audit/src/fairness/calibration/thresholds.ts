import {
  bootstrap,
  categoryTruth,
  countsAt,
  flattenCategories,
  precision,
  recall,
  thresholdForPrecision,
  thresholdForRecall,
  type CategoryInput,
  type Interval,
  type Policy,
} from '@clipguard/policy';
import type { AuditedDecision, HumanLabel } from '../input';
import { parseCalibrationOptions, type CalibrationOptions, type CalibrationOptionsInput } from './options';

export type LabelledDecision = Pick<AuditedDecision, 'categoryScores'> & { label: HumanLabel };

interface Common {
  category: string;
  title: string;
  threshold: 'review' | 'block';
  current: number;
  /** Labelled items that scored the category, and those a moderator found it in. */
  labels: number;
  positives: number;
}

export interface CalibratedThreshold extends Common {
  status: 'calibrated';
  proposed: number;
  /**
   * Percentile bootstrap 95% interval of the threshold the same rule picks on resampled labels (resamples
   * where the target cannot be reached are left out); its value is the rule's threshold before rounding.
   */
  interval: Interval;
  /** Precision and recall on the labels at the proposed threshold. */
  precision: number;
  recall: number;
}

export type RefusalReason =
  'too_few_labels' | 'too_few_positives' | 'target_unreachable' | 'crosses_other_threshold';

export interface RefusedThreshold extends Common {
  status: 'refused';
  reason: RefusalReason;
  message: string;
}

export type CategoryCalibration = CalibratedThreshold | RefusedThreshold;

export interface Calibration {
  policy: { id: string; version: number };
  options: CalibrationOptions;
  labelled: number;
  categories: CategoryCalibration[];
}

type ThresholdRule = (s: readonly number[], t: readonly boolean[]) => number | undefined;

function picker(target: CalibrationOptions['target']): ThresholdRule {
  return 'precision' in target
    ? (s, t) => thresholdForPrecision(s, t, target.precision)?.threshold
    : (s, t) => thresholdForRecall(s, t, target.recall)?.threshold;
}

const meets = (target: CalibrationOptions['target'], p: number, r: number) =>
  'precision' in target ? p >= target.precision : r >= target.recall;

/** Four decimals, rounded down so the items that set the threshold still cross it, unless that misses the target. */
function tidy(
  exact: number,
  scores: readonly number[],
  truth: readonly boolean[],
  target: CalibrationOptions['target'],
) {
  const rounded = Math.floor(exact * 1e4) / 1e4;
  const c = countsAt(scores, truth, rounded);
  return meets(target, precision(c), recall(c)) ? rounded : exact;
}

function refuse(common: Common, reason: RefusalReason, message: string): RefusedThreshold {
  return { ...common, status: 'refused', reason, message };
}

function calibrateOne(
  category: CategoryInput,
  scores: number[],
  truth: boolean[],
  o: CalibrationOptions,
  k: number,
): CategoryCalibration {
  const common: Common = {
    category: category.id,
    title: category.title,
    threshold: o.threshold,
    current: category.thresholds[o.threshold],
    labels: scores.length,
    positives: truth.filter(Boolean).length,
  };
  if (common.labels < o.minLabels)
    return refuse(
      common,
      'too_few_labels',
      `${common.labels} labelled items, at least ${o.minLabels} needed`,
    );
  if (common.positives < o.minPositives)
    return refuse(
      common,
      'too_few_positives',
      `found in ${common.positives} labelled items, at least ${o.minPositives} needed`,
    );
  const pick = picker(o.target);
  const exact = pick(scores, truth);
  if (exact === undefined)
    return refuse(common, 'target_unreachable', `no threshold reaches ${JSON.stringify(o.target)}`);
  const proposed = tidy(exact, scores, truth, o.target);
  const other = o.threshold === 'review' ? category.thresholds.block : category.thresholds.review;
  if (o.threshold === 'review' ? proposed > other : proposed < other)
    return refuse(
      common,
      'crosses_other_threshold',
      `${o.threshold} ${proposed} would cross the other threshold ${other}`,
    );
  const c = countsAt(scores, truth, proposed);
  const interval = bootstrap(scores, truth, (s, t) => pick(s, t) ?? NaN, o.resamples, o.seed + k);
  return {
    ...common,
    status: 'calibrated',
    proposed,
    interval,
    precision: precision(c),
    recall: recall(c),
  } as const;
}

/**
 * For each category, the threshold that reaches the target on moderator-labelled items: the lowest one
 * whose precision reaches a target precision, or the highest one whose recall reaches a target recall;
 * with a bootstrap interval and the number of labels it rests on, or a typed refusal. A category counts
 * as found when a moderator labelled it or a category below it.
 */
export function calibrateThresholds(
  policy: Policy,
  decisions: readonly AuditedDecision[],
  optionsInput: CalibrationOptionsInput,
): Calibration {
  const options = parseCalibrationOptions(optionsInput);
  const labelled = decisions.filter((d): d is LabelledDecision & AuditedDecision => d.label !== undefined);
  const truth = categoryTruth(
    policy,
    labelled.map((d) => ({ truth: [...d.label.categories] })),
  );
  const categories = flattenCategories(policy.categories).map(({ category }, k) => {
    const rows = labelled.map((d, i) => ({
      s: d.categoryScores[category.id],
      t: truth.get(category.id)?.[i] ?? false,
    }));
    const scored = rows.filter((r) => r.s !== undefined);
    return calibrateOne(
      category,
      scored.map((r) => r.s),
      scored.map((r) => r.t),
      options,
      k,
    );
  });
  return {
    policy: { id: policy.id, version: policy.version },
    options,
    labelled: labelled.length,
    categories,
  };
}
