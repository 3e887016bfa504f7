import { runCli } from '@clipguard/cli';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one `clipguard` command line in-process and captures what it prints. */
export async function clipguard(...argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    interactive: false,
    setExitCode: () => undefined,
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
