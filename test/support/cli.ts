import { PassThrough } from 'node:stream';
import { runCli } from '@clipguard/cli';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** What a progress bar drew on the (fake) terminal; empty unless `tty` was asked for. */
  terminal: string;
}

export interface CliOptions {
  /** Environment variables set for this run only (the CLI reads them through libs/config). */
  env?: Record<string, string | undefined>;
  /** Run as on a terminal: progress bars draw on a fake TTY captured in `terminal`. */
  tty?: boolean;
}

/** A writable that says it is a 120-column terminal and keeps what is written to it. */
function fakeTerminal(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new PassThrough() as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY: true, columns: 120, rows: 40 });
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { stream, text: () => chunks.join('') };
}

/** Runs one `clipguard` command line in-process with options, and captures what it prints. */
export async function clipguardWith(options: CliOptions, ...argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = Object.fromEntries(Object.keys(options.env ?? {}).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const terminal = options.tty ? fakeTerminal() : undefined;
  try {
    const code = await runCli(argv, {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      interactive: Boolean(options.tty),
      progressStream: terminal?.stream,
      setExitCode: () => undefined,
    });
    return { code, stdout: out.join('\n'), stderr: err.join('\n'), terminal: terminal?.text() ?? '' };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Runs one `clipguard` command line in-process and captures what it prints. */
export function clipguard(...argv: string[]): Promise<CliRun> {
  return clipguardWith({}, ...argv);
}
