import { Command, CommanderError } from 'commander';
import { registerAudit } from './commands/audit.command';
import { registerCalibrate } from './commands/calibrate.command';
import { registerClassify } from './commands/classify.command';
import { registerEmbed } from './commands/embed.command';
import { registerModel } from './commands/model.command';
import { registerPolicy } from './commands/policy.command';
import { registerPreprocess } from './commands/preprocess.command';
import { registerReplay } from './commands/replay.command';
import { registerReport } from './commands/report.command';
import { registerScan } from './commands/scan.command';
import { registerSimilarity } from './commands/similarity.command';
import { registerTokenize } from './commands/tokenize.command';
import { registerUsers } from './commands/users.command';
import { EXIT_ERROR, EXIT_OK, describeError } from './errors';
import type { CliIo } from './output';

/** The in-process moderation helpers behind `scan`, for tools that drive the same path (benchmarks). */
export { decideEmbeddings, loadCompiledPolicy, mapConcurrent, scoreEmbeddings } from './moderation';

export function buildProgram(io: CliIo): Command {
  const program = new Command('clipguard')
    .description('clipguard: CLIP-based image moderation — offline tools')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  registerScan(program, io);
  registerPolicy(program, io);
  registerTokenize(program, io);
  registerPreprocess(program, io);
  registerEmbed(program, io);
  registerSimilarity(program, io);
  registerClassify(program, io);
  registerModel(program, io);
  registerAudit(program, io);
  registerUsers(program, io);
  registerReport(program, io);
  registerCalibrate(program, io);
  registerReplay(program, io);
  return program;
}

/** Runs one command line; returns the exit code instead of exiting, so it can run in-process. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let code = EXIT_OK;
  const tracked: CliIo = { ...io, setExitCode: (c) => (code = Math.max(code, c)) };
  try {
    await buildProgram(tracked).parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT_OK : EXIT_ERROR;
    }
    io.err(`error: ${describeError(err)}`);
    return EXIT_ERROR;
  }
  return code;
}
