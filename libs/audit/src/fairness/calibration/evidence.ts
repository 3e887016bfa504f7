import type { CalibratedThreshold, Calibration } from './thresholds';
import type { ThresholdChange } from './draft-policy';

const fixed = (v: number, d = 3) => v.toFixed(d);

/** One line for the draft's comment and the CLI's output: what the new value rests on. */
export function evidenceOf(c: CalibratedThreshold, calibration: Calibration): string {
  const target = calibration.options.target;
  const goal = 'precision' in target ? `precision ≥ ${target.precision}` : `recall ≥ ${target.recall}`;
  return (
    `${c.current} → ${c.proposed} for ${goal} on ${c.labels} moderator labels (${c.positives} with the category) ` +
    `of v${calibration.policy.version}: precision ${fixed(c.precision)}, recall ${fixed(c.recall)}; ` +
    `bootstrap 95% interval of the threshold [${fixed(c.interval.low, 4)}, ${fixed(c.interval.high, 4)}]`
  );
}

/** The calibrated thresholds that differ from the current ones, ready for `draftNextVersion`. */
export function thresholdChanges(calibration: Calibration): ThresholdChange[] {
  return calibration.categories
    .filter((c): c is CalibratedThreshold => c.status === 'calibrated' && c.proposed !== c.current)
    .map((c) => ({
      category: c.category,
      threshold: c.threshold,
      to: c.proposed,
      evidence: evidenceOf(c, calibration),
    }));
}
