import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from './free-port';

const run = promisify(execFile);

/** The newest PostgreSQL server binaries Debian installed (/usr/lib/postgresql/<major>/bin). */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const major = majors.find((m) => existsSync(join(root, m, 'bin', 'initdb')));
  if (!major) throw new Error(`no PostgreSQL server binaries under ${root}/*/bin`);
  return join(root, major, 'bin');
}

/**
 * A PostgreSQL instance of the suite's own (initdb in a temporary directory, its own port and socket
 * directory), so the suite can stop and start a server without touching the machine's (5432). initdb
 * refuses to run as root, so as root the server runs as the `postgres` system user.
 */
export class OwnPostgres {
  port = 0;
  readonly dir = mkdtempSync(join(tmpdir(), 'clipguard-chaos-pg-'));
  private readonly bin = postgresBin();
  private readonly data = join(this.dir, 'data');

  get adminUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async init(): Promise<void> {
    this.port = await freePort();
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
      chownSync(this.dir, uid, gid);
    }
    await this.exec('initdb', ['-D', this.data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await this.start();
  }

  async start(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      `-k ${this.dir}`,
      '-c listen_addresses=127.0.0.1',
      // Durability is not what this instance is for; speed on a shared machine is.
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ].join(' ');
    await this.exec('pg_ctl', [
      '-D',
      this.data,
      '-l',
      join(this.dir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      options,
      'start',
    ]);
  }

  /** A fast shutdown: sessions are terminated (57P01), as in a restart or failover. */
  async stop(): Promise<void> {
    await this.exec('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  }

  /** Whether the server accepts connections right now. */
  async accepting(): Promise<boolean> {
    const client = new Client({ connectionString: this.adminUrl, connectionTimeoutMillis: 1000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async destroy(): Promise<void> {
    if (existsSync(join(this.data, 'postmaster.pid')))
      await this.exec('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async exec(tool: string, args: string[]): Promise<void> {
    const path = join(this.bin, tool);
    const [cmd, argv] =
      process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
    await run(cmd, argv, { cwd: this.dir, timeout: 90_000 });
  }
}
