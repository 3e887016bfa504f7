import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from './free-port';
import { waitFor } from './wait';

/**
 * A redis-server of the suite's own, on a free port, with no persistence: killing it and starting it
 * again is a Redis that lost its contents. The machine's Redis (6379) is never touched.
 */
export class OwnRedis {
  port = 0;
  private proc: ChildProcess | undefined;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    const proc = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    proc.once('error', () => undefined);
    this.proc = proc;
    await waitFor(() => this.ping(), 10_000, `redis-server on port ${this.port}`);
  }

  /** Whether the server answers PING (undefined when not, for waitFor). */
  async ping(): Promise<true | undefined> {
    const client = this.client({ retryStrategy: () => null, connectTimeout: 500 });
    try {
      return (await client.ping()) === 'PONG' ? true : undefined;
    } catch {
      return undefined;
    } finally {
      client.disconnect();
    }
  }

  /** SIGKILL, as a crash: nothing is flushed anywhere. Returns the pid that was killed. */
  async kill(): Promise<number> {
    const proc = this.proc;
    if (!proc?.pid || proc.exitCode !== null || proc.signalCode !== null)
      throw new Error('own redis-server is not running');
    const exited = new Promise<string | null>((r) => proc.once('exit', (_code, signal) => r(signal)));
    proc.kill('SIGKILL');
    const signal = await exited;
    if (signal !== 'SIGKILL') throw new Error(`redis-server ended with ${signal}, not SIGKILL`);
    return proc.pid;
  }

  async set(key: string, value: string): Promise<void> {
    const client = this.client();
    try {
      await client.set(key, value);
    } finally {
      client.disconnect();
    }
  }

  /** A key's value: a key written before a kill and gone after the restart proves the contents were lost. */
  async get(key: string): Promise<string | null> {
    const client = this.client();
    try {
      return await client.get(key);
    } finally {
      client.disconnect();
    }
  }

  client(options: { retryStrategy?: () => null; connectTimeout?: number } = {}): Redis {
    const client = new Redis(this.url, { maxRetriesPerRequest: null, lazyConnect: false, ...options });
    client.on('error', () => undefined);
    return client;
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGTERM');
    await exited;
  }
}
