import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { Client } from 'pg';
import { createRedis } from '@clipguard/queue';
import { createDatabase, type Database } from '@clipguard/storage';
import { REPO_ROOT, TINY_CLIP_DIR } from './paths';
import { testSecret } from './webhooks';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** A port nothing listens on right now (the system picks it), for an app of a stack to listen on. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
export type AppName = 'ingest-api' | 'clip-worker' | 'decision-service';

export interface Callback {
  headers: IncomingHttpHeaders;
  body: { type: string; data: { id: string; verdict: string; policy: { version: number } } };
}

/** A local stand-in for the platform: serves uploads, receives callbacks, and can be told to fail. */
export class Platform {
  readonly callbacks: Callback[] = [];
  /** Uploads served at GET /uploads/<name>. */
  readonly uploads = new Map<string, Buffer>();
  /** Called for every callback received, after it is recorded. */
  onCallback?: (callback: Callback) => void;
  failing = false;
  /** GET requests for uploads, by name. */
  readonly fetched: string[] = [];
  /** Requests the /trickle endpoint has started answering. */
  trickled = 0;
  private server!: Server;
  url = '';

  /**
   * `keepAliveMs`: how long the platform keeps an idle connection. undici (the worker's fetches and the
   * callbacks) does not reuse a connection whose advertised timeout is within its 1 s threshold, so the
   * tests' 1 s means a new connection per request; the bench passes a platform's usual 5 s or more.
   */
  constructor(private readonly keepAliveMs = 1000) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      if (req.method === 'GET' && req.url?.startsWith('/uploads/')) {
        const name = decodeURIComponent(req.url.slice('/uploads/'.length));
        this.fetched.push(name);
        const upload = this.uploads.get(name);
        res.statusCode = upload ? 200 : 404;
        res.setHeader('content-type', 'application/octet-stream');
        res.end(upload ?? 'not found');
        return;
      }
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        if (req.url?.startsWith('/trickle')) {
          // Answers one byte every 2 s, forever: a callback endpoint that never completes a response.
          this.trickled++;
          res.writeHead(200, { 'content-type': 'text/plain' });
          const timer = setInterval(() => res.write('.'), 2000);
          res.on('close', () => clearInterval(timer));
          return;
        }
        if (this.failing || req.url?.startsWith('/down')) {
          res.statusCode = 503;
          res.end('unavailable');
          return;
        }
        const callback = { headers: req.headers, body: JSON.parse(raw) as Callback['body'] };
        this.callbacks.push(callback);
        this.onCallback?.(callback);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.server.keepAliveTimeout = this.keepAliveMs;
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

export interface StackOptions {
  /** Overrides the apps' environment (model, policies, tuning). */
  env?: Record<string, string>;
  /** The tenants file's lines, given the platform's URL; the e2e tenants by default. */
  tenants?: (platformUrl: string) => string[];
  /** Redis the apps use (the machine's by default); a suite that kills Redis passes its own. */
  redisUrl?: string;
  /** PostgreSQL server the stack's database is created on (admin URL); the machine's by default. */
  postgresAdminUrl?: string;
  /** Extra environment for one app process, by its process name (e.g. to tag its database sessions). */
  appEnv?: (name: string) => Record<string, string>;
  /** How long the platform stand-in keeps idle connections (see Platform). */
  platformKeepAliveMs?: number;
}

const e2eTenants = (platformUrl: string) => [
  'tenants:',
  '  acme:',
  '    name: Acme',
  '    policy: { id: shapes, version: 1, shadow: 2 }',
  '    webhook_secret_envs: [ACME_OLD_SECRET, ACME_SECRET]',
  `    callback_url: ${platformUrl}/callback`,
  '    callback_secret_env: ACME_CALLBACK_SECRET',
  '    api_key_envs: [ACME_API_KEY]',
  '  deadend:',
  '    name: Unreachable platform',
  '    policy: { id: shapes, version: 1 }',
  '    webhook_secret_envs: [ACME_SECRET]',
  `    callback_url: ${platformUrl}/down`,
  '    api_key_envs: [DEADEND_API_KEY]',
  '  slowpoke:',
  '    name: Platform whose callback endpoint trickles',
  '    policy: { id: shapes, version: 1 }',
  '    webhook_secret_envs: [ACME_SECRET]',
  `    callback_url: ${platformUrl}/trickle`,
  '    api_key_envs: [SLOWPOKE_API_KEY]',
  '  limited:',
  '    name: Rate-limited platform',
  '    policy: { id: shapes, version: 1 }',
  '    webhook_secret_envs: [ACME_SECRET]',
  '    rate_limit_per_minute: 3',
  '    api_key_envs: [LIMITED_API_KEY]',
];

/** The three apps as real processes against real Redis and a fresh Postgres database. */
export class Stack {
  readonly platform: Platform;
  readonly dir = mkdtempSync(join(tmpdir(), 'clipguard-e2e-'));
  readonly database = `cg_e2e_${randomBytes(4).toString('hex')}`;
  readonly secrets = { acme: testSecret('acme'), callback: testSecret('callback') };
  apiUrl = '';
  /** Where the workers serve /metrics. */
  metricsPorts = { worker: 0, decision: 0 };
  db!: Kysely<Database>;
  private procs = new Map<string, ChildProcess>();
  private envVars: Record<string, string> = {};

  constructor(private readonly options: StackOptions = {}) {
    this.platform = new Platform(options.platformKeepAliveMs);
  }

  async start(): Promise<void> {
    await this.platform.start();
    const admin = new Client({ connectionString: this.adminUrl });
    await admin.connect();
    await admin.query(`create database ${this.database}`);
    await admin.end();
    const [port, worker, decision] = await Promise.all([freePort(), freePort(), freePort()]);
    this.apiUrl = `http://127.0.0.1:${port}`;
    this.metricsPorts = { worker, decision };
    const tenants = (this.options.tenants ?? e2eTenants)(this.platform.url);
    writeFileSync(join(this.dir, 'tenants.yaml'), tenants.join('\n'));
    mkdirSync(join(this.dir, 'logs'));
    this.envVars = {
      DATABASE_URL: this.databaseUrl(),
      REDIS_URL: this.options.redisUrl ?? 'redis://127.0.0.1:6379',
      CLIPGUARD_QUEUE_PREFIX: this.database,
      PORT: String(port),
      HOST: '127.0.0.1',
      CLIPGUARD_TENANTS_FILE: join(this.dir, 'tenants.yaml'),
      CLIPGUARD_POLICIES_DIR: join(REPO_ROOT, 'test/fixtures/policies'),
      CLIPGUARD_POLICY_CACHE_DIR: join(this.dir, 'policy-cache'),
      CLIPGUARD_BLOB_DIR: join(this.dir, 'blobs'),
      CLIPGUARD_MODEL_DIR: TINY_CLIP_DIR,
      CLIPGUARD_INTRA_OP_THREADS: '1',
      CLIPGUARD_CALLBACK_BACKOFF_MS: '200',
      CLIPGUARD_CALLBACK_HORIZON_MS: '3000',
      CLIPGUARD_SWEEP_INTERVAL_MS: '500',
      CLIPGUARD_MAX_BODY_BYTES: String(256 * 1024),
      CLIPGUARD_SWEEP_GRACE_MS: '1000',
      CLIPGUARD_FETCH_ALLOW_HTTP: 'true',
      CLIPGUARD_FETCH_ALLOW_PRIVATE: 'true',
      ACME_OLD_SECRET: testSecret('rotated-out'),
      ACME_SECRET: this.secrets.acme,
      ACME_CALLBACK_SECRET: this.secrets.callback,
      ACME_API_KEY: 'acme-key',
      DEADEND_API_KEY: 'deadend-key',
      SLOWPOKE_API_KEY: 'slowpoke-key',
      LIMITED_API_KEY: 'limited-key',
      LOG_LEVEL: 'info',
      ...this.options.env,
    };
    this.db = createDatabase(this.envVars.DATABASE_URL, { max: 4 });
    // The API migrates first; the other two then find the schema in place.
    await this.spawn('ingest-api', /ingest-api listening/);
    await Promise.all([
      this.spawn('clip-worker', /clip-worker ready/),
      this.spawn('decision-service', /decision-service ready/),
    ]);
  }

  /** Starts one app and waits for its ready line. */
  spawn(app: AppName, ready: RegExp, name: string = app): Promise<void> {
    const metricsPort = {
      'ingest-api': 0,
      'clip-worker': this.metricsPorts.worker,
      'decision-service': this.metricsPorts.decision,
    }[app];
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(REPO_ROOT, `apps/${app}/src/main.ts`)],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          ...this.envVars,
          CLIPGUARD_METRICS_PORT: String(metricsPort),
          ...this.options.appEnv?.(name),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.procs.set(name, child);
    const log = createWriteStream(join(this.dir, 'logs', `${name}.log`), { flags: 'a' });
    child.stderr.pipe(log);
    return new Promise((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(
        () => reject(new Error(`${name} not ready in 60 s; see ${this.dir}/logs`)),
        60_000,
      );
      child.stdout.on('data', (chunk: Buffer) => {
        log.write(chunk);
        if (seen !== 'ready') {
          seen += chunk.toString();
          if (ready.test(seen)) {
            seen = 'ready';
            clearTimeout(timer);
            resolve();
          }
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (seen !== 'ready')
          reject(new Error(`${name} exited with ${code} before it was ready; see ${this.dir}/logs`));
      });
    });
  }

  /** Ends every tenant's current rate-limit window, as the passing of the minute would. */
  async redisFlushRateLimits(): Promise<void> {
    const redis = createRedis(this.envVars.REDIS_URL);
    try {
      const keys = await redis.keys(`${this.envVars.CLIPGUARD_QUEUE_PREFIX}:rate:*`);
      if (keys.length) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  }

  private get adminUrl(): string {
    return this.options.postgresAdminUrl ?? ADMIN_URL;
  }

  /** The stack's own database on the admin URL's server. */
  private databaseUrl(): string {
    const url = new URL(this.adminUrl);
    url.pathname = `/${this.database}`;
    return url.toString();
  }

  env(name: string): string {
    return this.envVars[name] ?? '';
  }

  process(name: string): ChildProcess | undefined {
    return this.procs.get(name);
  }

  /** Whether the named process is running (started and not exited). */
  alive(name: string): boolean {
    const child = this.procs.get(name);
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /**
   * Sends a signal to a running process and waits for it to exit; returns its exit code, or the signal
   * that ended it. Throws if the process is not running: a fault test must hit a live process.
   */
  async kill(name: string, signal: NodeJS.Signals): Promise<number | string | null> {
    const child = this.procs.get(name);
    if (!child || !this.alive(name)) throw new Error(`cannot send ${signal} to ${name}: it is not running`);
    const exited = new Promise<number | string | null>((r) =>
      child.once('exit', (code, sig) => r(code ?? sig)),
    );
    child.kill(signal);
    return exited;
  }

  async stop(): Promise<void> {
    await Promise.all(
      [...this.procs.keys()].filter((n) => this.alive(n)).map((n) => this.kill(n, 'SIGTERM')),
    );
    await this.db?.destroy();
    await this.platform.stop();
    const admin = new Client({ connectionString: this.adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${this.database} with (force)`);
    await admin.end();
  }

  /** Polls until `check` returns a value (bounded; the pipeline is asynchronous by design). */
  async eventually<T>(
    check: () => Promise<T | undefined>,
    timeoutMs = 30_000,
    what = 'condition',
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; logs in ${this.dir}/logs`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
