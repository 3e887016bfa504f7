import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { BankError } from '../errors';

/** One PDQ hash of an imported list, with where it came from. */
export interface HashListRow {
  line: number;
  hash: string;
  quality?: number;
  /** The list's own id for the hash (ThreatExchange descriptor id), kept in the entry's note. */
  ref?: string;
}

export interface HashList {
  rows: HashListRow[];
  /** Lines that name no PDQ hash of ours (another signal type, a malformed hash), with why. */
  skipped: Array<{ line: number; reason: string }>;
}

const HEX = /^[0-9a-f]{64}$/;
const records = z.array(
  z.object({ record: z.array(z.string()), info: z.object({ lines: z.number().int() }) }),
);

/**
 * PDQ hash lists as the exchanges publish them, recognised by their first line:
 * - python-threatexchange datasets: a header with `signal_type` and `signal_str` (rows of other signal
 *   types are skipped), optionally `quality`;
 * - a header with `hash` (or `pdq`) and optionally `quality` and `id`;
 * - no header: the hash first, then either its quality (0–100) or the exchange's id, as in the
 *   ThreatExchange tag-query / HMA sample exports `hash,id,time,tags`.
 */
export function parseHashList(text: string): HashList {
  let parsed: unknown;
  try {
    parsed = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true, info: true });
  } catch (err) {
    throw new BankError(
      'ENTRY_INVALID',
      `not valid CSV: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const rows = records.parse(parsed).map((r) => ({ cells: r.record, line: r.info.lines }));
  if (rows.length === 0) return { rows: [], skipped: [] };
  const header = rows[0].cells.map((c) => c.toLowerCase());
  const hasHeader = !HEX.test(header[0] ?? '');
  const col = (...names: string[]) => header.findIndex((h) => names.includes(h));
  const hashAt = hasHeader ? col('signal_str', 'hash', 'pdq', 'pdq_hash', 'signal') : 0;
  const typeAt = hasHeader ? col('signal_type') : -1;
  const qualityAt = hasHeader ? col('quality', 'pdq_quality') : -1;
  const refAt = hasHeader ? col('id', 'descriptor_id', 'indicator_id') : -1;
  if (hashAt < 0)
    throw new BankError(
      'ENTRY_INVALID',
      `line ${rows[0].line}: no hash column in the header "${rows[0].cells.join(',')}" (expected signal_str, hash or pdq)`,
    );
  const out: HashList = { rows: [], skipped: [] };
  for (const { cells, line } of hasHeader ? rows.slice(1) : rows) {
    if (typeAt >= 0 && cells[typeAt]?.toLowerCase() !== 'pdq') {
      out.skipped.push({ line, reason: `signal type ${cells[typeAt] || '(none)'}, not pdq` });
      continue;
    }
    const hash = (cells[hashAt] ?? '').toLowerCase();
    if (!HEX.test(hash)) {
      out.skipped.push({ line, reason: `"${hash.slice(0, 80)}" is not a PDQ hash (64 hex digits)` });
      continue;
    }
    const row: HashListRow = { line, hash };
    const second = hasHeader ? undefined : cells[1];
    const quality =
      qualityAt >= 0
        ? cells[qualityAt]
        : second !== undefined && /^\d{1,3}$/.test(second) && Number(second) <= 100
          ? second
          : undefined;
    if (quality !== undefined && quality !== '') row.quality = Number(quality);
    const ref =
      refAt >= 0 ? cells[refAt] : second !== undefined && row.quality === undefined ? second : undefined;
    if (ref) row.ref = ref;
    out.rows.push(row);
  }
  return out;
}
