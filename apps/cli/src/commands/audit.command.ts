import type { Command } from 'commander';
import { loadPipelineEnv } from '@clipguard/config';
import { createDatabase, verifyAuditLog } from '@clipguard/storage';
import { EXIT_ERROR, EXIT_FLAGGED } from '../errors';
import type { CliIo } from '../output';

export function registerAudit(program: Command, io: CliIo): void {
  const audit = program.command('audit').description('the hash-chained audit log in Postgres');
  audit
    .command('verify')
    .description('recompute every link of the audit chain; exit 1 if it is broken')
    .option('--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL)')
    .action(async (opts: { databaseUrl?: string }) => {
      const db = createDatabase(opts.databaseUrl ?? loadPipelineEnv().DATABASE_URL, 1);
      try {
        const check = await verifyAuditLog(db);
        io.out(JSON.stringify(check));
        if (!check.ok) {
          io.err(`audit chain broken at entry ${check.broken?.seq}: ${check.broken?.reason}`);
          io.setExitCode(EXIT_FLAGGED);
        }
      } catch (err) {
        io.err(`cannot read the audit log: ${err instanceof Error ? err.message : String(err)}`);
        io.setExitCode(EXIT_ERROR);
      } finally {
        await db.destroy();
      }
    });
}
