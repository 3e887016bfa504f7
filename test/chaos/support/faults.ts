import { Queue } from 'bullmq';
import { Client } from 'pg';
import type { QueueName } from '@clipguard/contracts';

export interface Backend {
  pid: number;
  app: string;
  state: string | null;
}

async function withAdmin<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The sessions the apps hold on their database now (each app tags its sessions with PGAPPNAME). */
export function appBackends(adminUrl: string, database: string, apps: string[]): Promise<Backend[]> {
  return withAdmin(adminUrl, async (client) => {
    const { rows } = await client.query<{ pid: number; app: string; state: string | null }>(
      `select pid, application_name as app, state from pg_stat_activity
       where datname = $1 and application_name = any($2)`,
      [database, apps],
    );
    return rows;
  });
}

/** pg_terminate_backend on every session the apps hold now; returns the ones actually terminated. */
export function terminateAppBackends(adminUrl: string, database: string, apps: string[]): Promise<Backend[]> {
  return withAdmin(adminUrl, async (client) => {
    const { rows } = await client.query<Backend & { terminated: boolean }>(
      `select pid, application_name as app, state, pg_terminate_backend(pid) as terminated
       from pg_stat_activity where datname = $1 and application_name = any($2)`,
      [database, apps],
    );
    return rows.filter((r) => r.terminated);
  });
}

/** Reads job counts of the apps' queues (their prefix), to see which process holds work before a kill. */
export class QueueProbe {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
  ) {}

  async active(name: QueueName): Promise<number> {
    return this.queue(name).getActiveCount();
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }

  private queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      const { hostname, port } = new URL(this.redisUrl);
      q = new Queue(name, { connection: { host: hostname, port: Number(port) }, prefix: this.prefix });
      q.on('error', () => undefined);
      this.queues.set(name, q);
    }
    return q;
  }
}
