import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { CsvError, parse } from 'csv-parse/sync';
import { z } from 'zod';
import { didYouMean } from '@clipguard/policy';
import { CliError } from '../errors';

export interface LabelRow {
  path: string;
  categories: string[];
  /** Line in the CSV, for messages about this row. */
  line: number;
}

const FORMAT_HINT =
  'a labels CSV has a header "path,categories"; categories are separated by ";", empty for an allowed image';

function readText(file: string): string {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) throw new CliError('LABELS_NOT_FOUND', `${file}: no such labels file`, FORMAT_HINT);
  if (stat.isDirectory()) {
    throw new CliError('LABELS_NOT_FOUND', `${file} is a directory, not a labels CSV`, FORMAT_HINT);
  }
  return readFileSync(file, 'utf8');
}

/** csv-parse's `info` records: its typings do not describe this shape, so it is checked here. */
const recordsWithLines = z.array(
  z.object({ record: z.array(z.string()), info: z.object({ lines: z.number().int() }) }),
);

function records(file: string, text: string): { record: string[]; line: number }[] {
  let parsed: unknown;
  try {
    parsed = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true, info: true });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const line = 'lines' in err && typeof err.lines === 'number' ? `:${err.lines}` : '';
    throw new CliError('LABELS_INVALID', `${file}${line}: not valid CSV (${err.message})`, FORMAT_HINT);
  }
  return recordsWithLines.parse(parsed).map((r) => ({ record: r.record, line: r.info.lines }));
}

/**
 * Labels CSV: a header with `path` (or `image`) and `categories` (or `labels`) columns; categories separated
 * by ";" or "|", empty or "none" for an image that should be allowed. Relative paths are relative to the
 * CSV. Problems name the file and line, and a row with more fields than the header (categories separated
 * by ",") says to use ";".
 */
export function readLabels(file: string): LabelRow[] {
  const rows = records(file, readText(file));
  if (rows.length === 0) throw new CliError('LABELS_INVALID', `${file} is empty`, FORMAT_HINT);
  const header = rows[0].record.map((h) => h.toLowerCase());
  const pathAt = header.findIndex((h) => h === 'path' || h === 'image');
  const categoriesAt = header.findIndex((h) => h === 'categories' || h === 'labels');
  if (pathAt < 0 || categoriesAt < 0) {
    throw new CliError(
      'LABELS_INVALID',
      `${file}:${rows[0].line}: the header needs "path" and "categories" columns, not ${rows[0].record.join(',')}`,
      FORMAT_HINT,
    );
  }
  const data = rows.slice(1);
  if (data.length === 0)
    throw new CliError('LABELS_INVALID', `${file} holds no labelled images`, FORMAT_HINT);
  return data.map(({ record, line }) => {
    if (record.length > header.length) {
      const extra = record.slice(header.length).join(',');
      throw new CliError(
        'LABELS_INVALID',
        `${file}:${line}: ${record.length} fields, but the header has ${header.length} (${rows[0].record.join(',')})`,
        categoriesAt === header.length - 1
          ? `separate categories with ";", not ",": ${record[categoriesAt]};${extra.replace(/,/g, ';')}`
          : 'quote a field that contains ","',
      );
    }
    const path = record[pathAt] ?? '';
    if (!path) throw new CliError('LABELS_INVALID', `${file}:${line}: the path is empty`, FORMAT_HINT);
    const categories = (record[categoriesAt] ?? '')
      .split(/[;|]/)
      .map((c) => c.trim())
      .filter((c) => c && c !== 'none');
    return { path: isAbsolute(path) ? path : join(dirname(file), path), categories, line };
  });
}

/** Refuses labels naming categories the policy does not have, with the row and a suggestion. */
export function checkLabelCategories(
  file: string,
  rows: readonly LabelRow[],
  known: readonly string[],
): void {
  for (const row of rows) {
    const unknown = row.categories.find((c) => !known.includes(c));
    if (unknown === undefined) continue;
    const guess = didYouMean(unknown, known);
    throw new CliError(
      'LABELS_UNKNOWN_CATEGORY',
      `${file}:${row.line}: category "${unknown}" is not in the policy (it has ${known.join(', ')})`,
      guess
        ? `did you mean "${guess}"?`
        : "label with the policy's category ids, or evaluate the policy that has this category",
    );
  }
}
