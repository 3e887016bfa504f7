import type { Command } from 'commander';
import { loadPipelineEnv } from '@clipguard/config';
import { createDatabase, verifyAuditLog } from '@clipguard/storage';
import { CliError, EXIT_FLAGGED, isError } from '../errors';
import { helpEpilogue } from '../options';
import type { CliIo } from '../output';

export function registerAudit(program: Command, io: CliIo): void {
  const audit = program.command('audit').description('the hash-chained audit log in Postgres');
  audit
    .command('verify')
    .description('recompute every link of the audit chain; exit 1 if it is broken')
    .option('--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL)')
    .addHelpText(
      'after',
      helpEpilogue(
        ['clipguard audit verify --database-url postgres://postgres@127.0.0.1:5432/clipguard'],
        'Exit codes:\n  0  the chain verifies\n  1  the chain is broken (the first broken entry is named)\n  4  the audit log could not be read',
      ),
    )
    .action(async (opts: { databaseUrl?: string }) => {
      const db = createDatabase(opts.databaseUrl ?? loadPipelineEnv().DATABASE_URL, 1);
      try {
        const check = await verifyAuditLog(db).catch((err: unknown) => {
          throw new CliError(
            'INPUT_NOT_FOUND',
            `cannot read the audit log: ${isError(err) ? err.message : String(err)}`,
            'check --database-url and that the database has been migrated (npm run migrate)',
          );
        });
        io.out(JSON.stringify(check));
        if (!check.ok) {
          io.err(`audit chain broken at entry ${check.broken?.seq}: ${check.broken?.reason}`);
          io.setExitCode(EXIT_FLAGGED);
        }
      } finally {
        await db.destroy();
      }
    });
}
