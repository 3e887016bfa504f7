import { Command, CommanderError } from 'commander';
import { registerAudit } from './commands/audit.command';
import { registerBank } from './commands/bank.command';
import { registerCalibrate } from './commands/calibrate.command';
import { registerClassify } from './commands/classify.command';
import { registerEmbed } from './commands/embed.command';
import { registerModel } from './commands/model.command';
import { registerPolicy } from './commands/policy.command';
import { registerPreprocess } from './commands/preprocess.command';
import { registerReplay } from './commands/replay.command';
import { registerReport } from './commands/report.command';
import { registerScan } from './commands/scan.command';
import { registerSimilar } from './commands/similar.command';
import { registerSimilarity } from './commands/similarity.command';
import { registerTokenize } from './commands/tokenize.command';
import { registerUsers } from './commands/users.command';
import { EXIT_CODES_HELP, EXIT_FAILED, EXIT_OK, formatError, isError } from './errors';
import { helpEpilogue } from './options';
import type { CliIo } from './output';

export function buildProgram(io: CliIo): Command {
  const program = new Command('clipguard')
    .description('clipguard: CLIP-based image moderation — offline tools')
    .version('0.1.0')
    .option('--debug', 'on an unexpected error, print its stack trace')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage and examples)')
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .addHelpText(
      'after',
      helpEpilogue(
        [
          'clipguard scan uploads/ --policy policies/default',
          'clipguard policy eval --policy policies/default --labels labels.csv --out eval/',
          'clipguard scan --help',
        ],
        `${EXIT_CODES_HELP}\n\nThe model directory is --model, else $CLIPGUARD_MODEL_DIR (default models/clip-vit-base-patch32).`,
      ),
    );
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
  registerBank(program, io);
  registerSimilar(program, io);
  return program;
}

function stackOf(err: unknown): string {
  const lines: string[] = [];
  let e: unknown = err;
  while (isError(e)) {
    lines.push(e.stack ?? e.message);
    e = e.cause;
  }
  if (e !== undefined) lines.push(JSON.stringify(e) ?? 'unknown cause');
  return lines.join('\ncaused by: ');
}

/** Runs one command line; returns the exit code instead of exiting, so it can run in-process. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let code = EXIT_OK;
  const tracked: CliIo = { ...io, argv, setExitCode: (c) => (code |= c) };
  const program = buildProgram(tracked);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_FAILED;
    io.err(formatError(err));
    if (program.opts<{ debug?: boolean }>().debug) io.err(stackOf(err));
    return EXIT_FAILED;
  }
  return code;
}
