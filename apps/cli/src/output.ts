/** Where commands write; tests pass their own to capture output without a child process. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Progress bars only on a terminal. */
  interactive: boolean;
  /** Where progress bars draw (stderr unless a test captures it). */
  progressStream?: NodeJS.WriteStream;
  /** Raises the exit code of the run (codes combine bitwise, see errors.ts). */
  setExitCode: (code: number) => void;
  /** The arguments of this run, for the provenance that reports record. */
  argv?: readonly string[];
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  interactive: Boolean(process.stderr.isTTY),
  setExitCode: (code) => {
    process.exitCode = Number(process.exitCode ?? 0) | code;
  },
};

/** Plain aligned columns: the first row is the header. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (cell ?? '').padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;
