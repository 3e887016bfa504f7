import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { bullConnection } from '@clipguard/queue';
import { FileBlobStore } from '@clipguard/storage';
import { PipelineClient, Stack, eventBody } from '@clipguard/testing';

jest.setTimeout(240_000);

const stack = new Stack({
  env: { CLIPGUARD_LOCK_DURATION_MS: '4000', CLIPGUARD_STALLED_INTERVAL_MS: '2000' },
});
const client = new PipelineClient(stack);
let embedQueue: Queue;
let callbackQueue: Queue;

/** A submission row as if accepted, with its image in the blob store; no job is added for it. */
async function strandedRow(
  eventId: string,
  seed: number,
  row: { status?: 'queued' | 'deciding'; enqueued?: boolean; updatedAt?: Date; decideJobId?: string } = {},
): Promise<string> {
  const png = await client.scene({ shape: 'heart', colour: 'red', size: 'large' }, seed);
  const key = await new FileBlobStore(join(stack.dir, 'blobs')).put(png);
  const id = randomUUID();
  await stack.db
    .insertInto('submissions')
    .values({
      id,
      tenant: 'acme',
      event_id: eventId,
      status: row.status ?? 'queued',
      content_url: null,
      blob_key: key,
      content_sha256: key,
      metadata: '{}',
      priority: 'normal',
      error_code: null,
      error_message: null,
      enqueued_at: row.enqueued ? new Date() : null,
      decide_job_id: row.decideJobId ?? null,
      updated_at: row.updatedAt ?? new Date(),
    })
    .execute();
  return id;
}

const redrives = async (id: string) =>
  (await stack.db.selectFrom('submissions').select('redrives').where('id', '=', id).executeTakeFirstOrThrow())
    .redrives;

beforeAll(async () => {
  await stack.start();
  const connection = bullConnection(stack.env('REDIS_URL'));
  embedQueue = new Queue('embed', { connection, prefix: stack.env('CLIPGUARD_QUEUE_PREFIX') });
  callbackQueue = new Queue('callback', { connection, prefix: stack.env('CLIPGUARD_QUEUE_PREFIX') });
}, 120_000);
afterAll(async () => {
  await Promise.all([embedQueue.close(), callbackQueue.close()]);
  await stack.stop();
}, 60_000);

describe('recovery: Postgres is the record, Redis only carries work', () => {
  it('enqueues a submission committed but never enqueued (a crash between the two)', async () => {
    const id = await strandedRow('evt-orphan', 12);
    expect((await client.settled(id)).decision?.verdict).toBe('block');
  });

  it('re-drives submissions whose jobs Redis lost, queued or deciding, each decided once', async () => {
    const queued = await strandedRow('evt-lost-queued', 13, { enqueued: true });
    const deciding = await strandedRow('evt-lost-deciding', 14, {
      status: 'deciding',
      enqueued: true,
      decideJobId: 'decide-vanished-v1',
    });
    for (const id of [queued, deciding]) {
      expect((await client.settled(id)).decision?.verdict).toBe('block');
      expect(await redrives(id)).toBe(1);
      expect(await client.liveDecisions([id])).toHaveLength(1);
    }
  });

  it('re-drives a stuck submission when the platform re-sends its event', async () => {
    // Out of the periodic reconciler's reach (touched "in the future"): only the re-sent event can move it.
    const id = await strandedRow('evt-resent', 15, {
      enqueued: true,
      updatedAt: new Date(Date.now() + 3600_000),
    });
    const ready = (await (await fetch(`${stack.apiUrl}/health/ready`)).json()) as {
      checks: { unfinished: { count: number; oldestSeconds: number } };
    };
    expect(ready.checks.unfinished.count).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 3000));
    expect((await client.moderation(id)).status).toBe('queued');
    const again = await client.send(
      'acme',
      eventBody('evt-resent', await client.scene({ shape: 'heart', colour: 'red', size: 'large' }, 15)),
    );
    expect(again.body).toMatchObject({ submission_id: id, duplicate: true });
    expect((await client.settled(id)).decision?.verdict).toBe('block');
  });

  it('re-drives a pending callback whose job Redis lost, and delivers it once', async () => {
    stack.platform.failing = true;
    const { body } = await client.send(
      'acme',
      eventBody(
        'evt-lost-callback',
        await client.scene({ shape: 'circle', colour: 'red', size: 'large' }, 16),
      ),
    );
    await client.settled(body.submission_id);
    const delivery = await stack.eventually(
      async () => {
        const d = await stack.db
          .selectFrom('callback_deliveries')
          .selectAll()
          .where('submission_id', '=', body.submission_id)
          .executeTakeFirst();
        return d && d.attempts >= 1 ? d : undefined;
      },
      30_000,
      'a failed callback attempt',
    );
    // Between attempts the job waits in Redis as delayed; lose it.
    const jobId = `callback-${delivery.id}`;
    await stack.eventually(
      async () => ((await callbackQueue.getJobState(jobId)) === 'delayed' ? true : undefined),
      30_000,
      'delayed retry',
    );
    await callbackQueue.remove(jobId);
    expect(await callbackQueue.getJobState(jobId)).toBe('unknown');
    stack.platform.failing = false;
    await stack.eventually(
      async () =>
        (await client.moderation(body.submission_id)).callback?.status === 'delivered' ? true : undefined,
      60_000,
      'delivery',
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(client.callbacksFor(body.submission_id)).toHaveLength(1);
  });

  it('drains in-flight work on SIGTERM: the worker exits cleanly and leaves nothing half-done', async () => {
    const ids = await client.sendMany(
      'evt-term',
      40,
      { shape: 'cross', colour: 'yellow', size: 'large' },
      500,
    );
    await stack.eventually(
      async () => ((await embedQueue.getActiveCount()) > 0 ? true : undefined),
      30_000,
      'active jobs',
    );
    // Nest runs its shutdown hooks (BullMQ waits for active jobs, the engine drains), then re-raises SIGTERM.
    expect(await stack.kill('clip-worker', 'SIGTERM')).toBe('SIGTERM');
    expect(await client.countWhere(ids, 'embedding')).toBe(0);
    await stack.spawn('clip-worker', /clip-worker ready/, 'clip-worker-2');
    await client.allDecided(ids, 'all decided after the restart');
  });

  it('recovers the jobs of a worker killed while it holds them: every submission decided exactly once', async () => {
    const ids = await client.sendMany('evt-kill', 60, { shape: 'heart', colour: 'blue', size: 'large' }, 300);
    // The one running worker holds active jobs at the moment it is killed.
    expect(stack.alive('clip-worker-2')).toBe(true);
    const active = await stack.eventually(
      async () => {
        const n = await embedQueue.getActiveCount();
        return n > 0 ? n : undefined;
      },
      30_000,
      'active jobs',
    );
    expect(active).toBeGreaterThan(0);
    expect(await stack.kill('clip-worker-2', 'SIGKILL')).toBe('SIGKILL');
    await stack.spawn('clip-worker', /clip-worker ready/, 'clip-worker-3');
    await client.allDecided(ids, 'all decided after the kill');
    const decided = await client.liveDecisions(ids);
    expect(decided).toHaveLength(ids.length);
    expect(new Set(decided).size).toBe(ids.length);
    const audits = await stack.db
      .selectFrom('audit_log')
      .select('ref')
      .where('ref', 'in', ids)
      .where('kind', '=', 'decision')
      .execute();
    expect(audits).toHaveLength(ids.length);
    // Recovered by the lock expiring (BullMQ's stalled-job check), not by the reconciler's re-drive.
    const redriven = await stack.db
      .selectFrom('submissions')
      .select('id')
      .where('id', 'in', ids)
      .where('redrives', '>', 0)
      .execute();
    expect(redriven).toEqual([]);
  });
});
