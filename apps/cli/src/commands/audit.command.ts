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
import { EXIT_ERROR, EXIT_FLAGGED } from '../errors';
import type { CliIo } from '../output';

interface DbOptions {
  databaseUrl?: string;
}

/** Runs `work` against the audit log; a database it cannot read is exit 2 with the reason. */
async function withAudit(io: CliIo, opts: DbOptions, work: (audit: AuditRepository) => Promise<void>) {
  const db = createDatabase(opts.databaseUrl ?? loadPipelineEnv().DATABASE_URL, { max: 1 });
  try {
    await work(new AuditRepository(db));
  } catch (err) {
    io.err(`cannot read the audit log: ${err instanceof Error ? err.message : String(err)}`);
    io.setExitCode(EXIT_ERROR);
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
    .action(async (opts: DbOptions & { checkpoints?: string; publicKey?: string }) =>
      withAudit(io, opts, async (repo) => {
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
        if (!pem) {
          io.err(`no public key: pass --public-key or keep public-key.pem in ${opts.checkpoints}`);
          io.setExitCode(EXIT_ERROR);
          return;
        }
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
      if (!keyFile) {
        io.err(
          'no signing key: pass --key or set CLIPGUARD_AUDIT_KEY_FILE (create one with `clipguard audit keygen`)',
        );
        io.setExitCode(EXIT_ERROR);
        return;
      }
      const store = new CheckpointStore(opts.dir ?? env.CLIPGUARD_AUDIT_CHECKPOINT_DIR);
      await withAudit(io, opts, async (repo) => {
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
