import type { Command } from 'commander';
import type { ClipEngine, ImageEmbedding } from '@clipguard/clip';
import { loadEnv } from '@clipguard/config';
import { CliError, EXIT_PARTIAL } from '../errors';
import { embedPaths } from '../inputs/embed-images';
import type { LabelRow } from '../inputs/labels';
import type { CliIo } from '../output';

export interface SkippedRow {
  row: LabelRow;
  code: string;
  reason: string;
}

export interface EmbeddedRows {
  rows: LabelRow[];
  embedded: Map<string, ImageEmbedding>;
  skipped: SkippedRow[];
}

/** Embeds every labelled image; rows whose image is missing or undecodable are kept aside with why. */
export async function embedRows(
  engine: ClipEngine,
  io: CliIo,
  rows: readonly LabelRow[],
): Promise<EmbeddedRows> {
  const paths = [...new Set(rows.map((r) => r.path))];
  const { embedded, unreadable } = await embedPaths(engine, io, paths);
  const why = new Map(unreadable.map((u) => [u.path, u]));
  const skipped = rows.flatMap((row) => {
    const u = why.get(row.path);
    return u ? [{ row, code: u.code, reason: u.reason }] : [];
  });
  return { rows: rows.filter((r) => embedded.has(r.path)), embedded, skipped };
}

/** The option that decides whether a skipped row fails the run; on by default under CI (CI=true). */
export function addStrictOption(cmd: Command): Command {
  return cmd
    .option('--strict', 'fail (exit 2) when any labelled image is skipped; the default when $CI is set')
    .option('--no-strict', 'report skipped rows but do not fail on them');
}

export const strictByDefault = (flag: boolean | undefined) => flag ?? loadEnv().CI;

/**
 * Says how many rows were used ("45 of 48 labelled images evaluated") and which were skipped and why, by
 * file and line. Under --strict a skipped row fails the run; with nothing left there is nothing to report.
 */
export function reportSkippedRows(
  io: CliIo,
  labels: string,
  total: number,
  run: EmbeddedRows,
  strict: boolean,
  verb = 'evaluated',
): void {
  for (const s of run.skipped) {
    io.err(`${labels}:${s.row.line}: ${s.row.path}: skipped: ${s.reason} (${s.code})`);
  }
  const used = total - run.skipped.length;
  if (used === 0) {
    throw new CliError(
      'NOTHING_EVALUATED',
      `none of the ${total} labelled images in ${labels} could be read`,
      'check the paths: they are relative to the CSV file',
    );
  }
  const skipped = run.skipped.length ? ` (${run.skipped.length} skipped, listed above)` : '';
  io.err(`${used} of ${total} labelled images ${verb}${skipped}`);
  if (strict && run.skipped.length > 0) {
    io.err(
      `error[ROWS_SKIPPED]: --strict: ${run.skipped.length} labelled image${run.skipped.length > 1 ? 's were' : ' was'} skipped`,
    );
    io.err('  hint: fix or remove those rows, or run with --no-strict to accept a partial evaluation');
    io.setExitCode(EXIT_PARTIAL);
  }
}

/** The command line as typed, for the report's provenance. */
export function commandLine(io: CliIo): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['clipguard', ...(io.argv ?? []).map(quote)].join(' ');
}
