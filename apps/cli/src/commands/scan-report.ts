import type { Decision, Verdict } from '@clipguard/decision';
import { EXIT_FLAGGED, EXIT_OK, EXIT_PARTIAL } from '../errors';
import { formatTable, plural } from '../output';

export type Outcome =
  | { file: string; decision: Decision; ms: number }
  | { file: string; skipped: string }
  | { file: string; error: string; code: string };

export const jsonLine = (o: Outcome) =>
  JSON.stringify('decision' in o ? { file: o.file, ...o.decision, ms: Math.round(o.ms) } : o);

export function table(outcomes: readonly Outcome[]): string {
  const rows = [['file', 'verdict', 'safety', 'reasons']];
  for (const o of outcomes) {
    if ('skipped' in o) rows.push([o.file, 'skipped', '', o.skipped]);
    else if ('error' in o) rows.push([o.file, 'error', '', `${o.code}: ${o.error}`]);
    else {
      const reasons = o.decision.reasons.map(
        (r) => `${r.category} ${r.score.toFixed(2)}≥${r.thresholdValue} (${r.threshold})`,
      );
      rows.push([o.file, o.decision.verdict, o.decision.safetyScore.toFixed(2), reasons.join(', ')]);
    }
  }
  return formatTable(rows);
}

export interface ScanCounts {
  files: number;
  scanned: number;
  verdicts: Record<Verdict, number>;
  skipped: number;
  unreadable: number;
}

export function countOutcomes(outcomes: readonly Outcome[]): ScanCounts {
  const counts: ScanCounts = {
    files: outcomes.length,
    scanned: 0,
    verdicts: { allow: 0, review: 0, block: 0 },
    skipped: 0,
    unreadable: 0,
  };
  for (const o of outcomes) {
    if ('skipped' in o) counts.skipped++;
    else if ('error' in o) counts.unreadable++;
    else {
      counts.scanned++;
      counts.verdicts[o.decision.verdict]++;
    }
  }
  return counts;
}

/** Flagged and unreadable are separate bits, so a run with both says both (exit 3). */
export function scanExitCode(c: ScanCounts): number {
  const flagged = c.verdicts.review + c.verdicts.block > 0 ? EXIT_FLAGGED : EXIT_OK;
  return flagged | (c.unreadable > 0 ? EXIT_PARTIAL : EXIT_OK);
}

const EXIT_MEANING: Record<number, string> = {
  1: 'flagged',
  2: 'some files could not be read',
  3: 'flagged, and some files could not be read',
};

/** One line whose numbers add up to the files found, and what the exit code means. */
export function summaryLine(c: ScanCounts, policy: string): string {
  const v = c.verdicts;
  const parts = [
    `${c.scanned} scanned (${v.allow} allow, ${v.review} review, ${v.block} block)`,
    `${c.skipped} skipped`,
    `${c.unreadable} unreadable`,
  ];
  const code = scanExitCode(c);
  const exit = code === 0 ? '' : `; exit ${code}: ${EXIT_MEANING[code]}`;
  return `${plural(c.files, 'file')}: ${parts.join(', ')} with policy ${policy}${exit}`;
}
