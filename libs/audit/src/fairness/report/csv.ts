import { stringify } from 'csv-stringify/sync';
import type { FairnessFigures } from '../figures';
import { figureRows } from './rows';

const COLUMNS = [
  'probe',
  'category',
  'group',
  'metric',
  'reference',
  'count',
  'n',
  'value',
  'low',
  'high',
  'too_few',
  'alert',
];

const cell = (v: number | null) => (v === null || !Number.isFinite(v) ? '' : v);

/** The figures as CSV, one figure per line; empty cells where a figure has no value (no observations). */
export function fairnessCsv(f: FairnessFigures): string {
  const records = figureRows(f).map((r) => [
    r.probe,
    r.category,
    r.group,
    r.metric,
    r.reference ?? '',
    cell(r.count),
    cell(r.n),
    cell(r.value),
    cell(r.low),
    cell(r.high),
    r.tooFew === null ? '' : r.tooFew,
    r.alert,
  ]);
  return stringify(records, {
    header: true,
    columns: COLUMNS,
    cast: { boolean: (b) => (b ? 'true' : 'false') },
  });
}
