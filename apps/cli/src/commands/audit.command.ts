import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { checkCheckpoint } from '@clipguard/audit';
import { loadPipelineEnv } from '@clipguard/config';
import {
  AuditRepository,
  CheckpointStore,
  createDatabase,
  loadSigningKey,
  takeCheckpoint,
} from '@clipguard/storage';
import { CliError, EXIT_FLAGGED, isError } from '../errors';
import { helpEpilogue } from '../options';
import type { CliIo } from '../output';

interface DbOptions {
  databaseUrl?: string;
}

/** Runs `work` against the audit log; a database it cannot read is a CliError (exit 4) with the reason. */
async function withAudit(opts: DbOptions, work: (audit: AuditRepository) => Promise<void>) {
  const db = createDatabase(opts.databaseUrl ?? loadPipelineEnv().DATABASE_URL, { max: 1 });
  try {
    await work(new AuditRepository(db));
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(
      'INPUT_NOT_FOUND',
      `cannot read the audit log: ${isError(err) ? err.message : String(err)}`,
      'check --database-url and that the database has been migrated (npm run migrate)',
    );
  } finally {
    await db.destroy();
  }
}

/** Holds every checkpoint in `dir` against the stored chain; returns the problems found. */
async function verifyCheckpoints(
  audit: AuditRepository,
  dir: string,
  publicKey: KeyObject,
): Promise<string[]> {
  const head = await audit.head();
  const problems: string[] = [];
  for (const { file, checkpoint } of new CheckpointStore(dir).list()) {
    const v = checkCheckpoint(checkpoint, publicKey, {
      lastSeq: head?.seq,
      hashAt: await audit.entryHash(checkpoint.seq),
    });
    if (!v.ok) problems.push(`${file}: ${v.reason}`);
  }
  return problems;
}

export function registerAudit(program: Command, io: CliIo): void {
  const audit = program.command('audit').description('the hash-chained audit log in Postgres');
  const dbOption = ['--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL)'] as const;

  audit
    .command('verify')
    .description(
      'recompute every link of the audit chain, and hold it against signed checkpoints; exit 1 if broken',
    )
    .option(...dbOption)
    .option('--checkpoints <dir>', 'directory of signed checkpoints (fails if the chain was cut below one)')
    .option(
      '--public-key <file>',
      "the signer's public key (PEM); default: public-key.pem in the checkpoints dir",
    )
    .addHelpText(
      'after',
      helpEpilogue(
        [
          'clipguard audit verify',
          'clipguard audit verify --checkpoints /mnt/worm/checkpoints --public-key audit.pub.pem',
        ],
        'Exit codes:\n  0  the chain verifies, and agrees with every checkpoint\n  1  the chain is broken, or shorter than or different from a checkpoint (named)\n  4  the audit log or the checkpoints could not be read',
      ),
    )
    .action(async (opts: DbOptions & { checkpoints?: string; publicKey?: string }) =>
      withAudit(opts, async (repo) => {
        const check = await repo.verify();
        io.out(JSON.stringify(check));
        if (!check.ok) {
          io.err(`audit chain broken at entry ${check.broken?.seq}: ${check.broken?.reason}`);
          io.setExitCode(EXIT_FLAGGED);
        }
        if (!opts.checkpoints) return;
        const pem = opts.publicKey
          ? readFileSync(opts.publicKey, 'utf8')
          : new CheckpointStore(opts.checkpoints).publicKeyPem();
        if (!pem)
          throw new CliError(
            'INPUT_NOT_FOUND',
            `no public key for the checkpoints in ${opts.checkpoints}`,
            'pass --public-key FILE, or keep public-key.pem beside the checkpoints',
          );
        const problems = await verifyCheckpoints(repo, opts.checkpoints, createPublicKey(pem));
        for (const p of problems) io.err(`checkpoint mismatch: ${p}`);
        if (problems.length) io.setExitCode(EXIT_FLAGGED);
      }),
    );

  audit
    .command('checkpoint')
    .description("sign the chain's current head now and write it to the checkpoint directory")
    .option(...dbOption)
    .option('--key <file>', 'Ed25519 private key, PKCS#8 PEM (default: $CLIPGUARD_AUDIT_KEY_FILE)')
    .option('--dir <dir>', 'checkpoint directory (default: $CLIPGUARD_AUDIT_CHECKPOINT_DIR)')
    .action(async (opts: DbOptions & { key?: string; dir?: string }) => {
      const env = loadPipelineEnv();
      const keyFile = opts.key ?? env.CLIPGUARD_AUDIT_KEY_FILE;
      if (!keyFile)
        throw new CliError(
          'INPUT_NOT_FOUND',
          'no signing key',
          'pass --key or set CLIPGUARD_AUDIT_KEY_FILE (create one with `clipguard audit keygen`)',
        );
      const store = new CheckpointStore(opts.dir ?? env.CLIPGUARD_AUDIT_CHECKPOINT_DIR);
      await withAudit(opts, async (repo) => {
        const cp = await takeCheckpoint(repo, store, loadSigningKey(keyFile));
        io.out(cp ? JSON.stringify(cp) : JSON.stringify({ unchanged: true, latest: store.latest() ?? null }));
      });
    });

  audit
    .command('keygen')
    .description('create an Ed25519 key pair for signing checkpoints')
    .requiredOption('--out <file>', 'where to write the private key (PKCS#8 PEM, mode 0600)')
    .action((opts: { out: string }) => {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      writeFileSync(opts.out, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
        mode: 0o600,
        flag: 'wx',
      });
      io.out(publicKey.export({ type: 'spki', format: 'pem' }).toString().trimEnd());
    });
}
