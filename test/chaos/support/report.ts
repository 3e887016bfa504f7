import type { Tally } from './tally';

const COLUMNS: [keyof Tally, string][] = [
  ['events', 'events'],
  ['accepted', 'accepted'],
  ['unaccepted', 'unaccepted'],
  ['notCommitted', '202 not committed'],
  ['decidedOnce', 'decided once'],
  ['duplicates', 'duplicates'],
  ['failed', 'failed'],
  ['stranded', 'stranded'],
  ['callbacksOnce', 'callbacks once'],
  ['callbacksMissing', 'missing'],
  ['callbacksDuplicate', 'duplicate'],
  ['callbacksDead', 'dead'],
];

/**
 * Prints a scenario's outcome as a table (one row per group of events, e.g. per tenant) and the facts that
 * show the fault happened. Written to stdout directly, so it reads as a report, not as jest console noise.
 */
export function printReport(
  scenario: string,
  rows: Record<string, Tally>,
  facts: Record<string, string | number> = {},
): void {
  const header = ['', ...COLUMNS.map(([, title]) => title)];
  const body = Object.entries(rows).map(([name, t]) => [name, ...COLUMNS.map(([key]) => String(t[key]))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    '  ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [
    '',
    `chaos: ${scenario}`,
    line(header),
    ...body.map(line),
    ...Object.entries(facts).map(([k, v]) => `  ${k}: ${v}`),
    '',
  ];
  process.stdout.write(out.join('\n') + '\n');
}
