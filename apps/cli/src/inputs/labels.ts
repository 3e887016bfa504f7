import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { UsageError } from './errors';

export interface LabelRow {
  path: string;
  categories: string[];
}

/**
 * Labels CSV: a header with `path` (or `image`) and `categories` columns; categories separated by
 * ";" or "|", empty for an image that should be allowed. Relative paths are relative to the CSV file.
 */
export function readLabels(file: string): LabelRow[] {
  const records = parse<Record<string, string>>(readFileSync(file, 'utf8'), {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  });
  if (records.length === 0) throw new UsageError(`${file} holds no labelled images`);
  return records.map((r, i) => {
    const path = r.path ?? r.image;
    if (!path) throw new UsageError(`${file}:${i + 2}: needs a "path" column`);
    const categories = (r.categories ?? r.labels ?? '')
      .split(/[;|]/)
      .map((c) => c.trim())
      .filter((c) => c && c !== 'none');
    return { path: isAbsolute(path) ? path : join(dirname(file), path), categories };
  });
}
