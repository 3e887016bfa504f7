import { SingleBar, Presets } from 'cli-progress';

/** Where commands write; tests pass their own to capture output without a child process. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Progress bars only on a terminal. */
  interactive: boolean;
  /** Raises the exit code of the run (the highest set wins). */
  setExitCode: (code: number) => void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  interactive: Boolean(process.stderr.isTTY),
  setExitCode: (code) => {
    process.exitCode = Math.max(Number(process.exitCode ?? 0), code);
  },
};

/** Plain aligned columns: the first row is the header. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export interface Progress {
  tick: (n?: number) => void;
  update: (value: number) => void;
  stop: () => void;
}

export function progress(io: CliIo, total: number, label: string): Progress {
  if (!io.interactive || total < 2)
    return { tick: () => undefined, update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    { format: `${label} [{bar}] {value}/{total} {eta_formatted}`, stream: process.stderr },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return { tick: (n = 1) => bar.increment(n), update: (v) => bar.update(v), stop: () => bar.stop() };
}
