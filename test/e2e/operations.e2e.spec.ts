import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { PipelineClient, Stack, clipguard, eventBody } from '@clipguard/testing';

jest.setTimeout(180_000);

const TOKEN = 'operator-token-for-the-e2e-suite';
const keyDir = mkdtempSync(join(tmpdir(), 'clipguard-audit-key-'));
const keyFile = join(keyDir, 'audit.pem');
writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
const checkpoints = join(keyDir, 'checkpoints');

const stack = new Stack({
  env: {
    CLIPGUARD_METRICS_TOKEN: TOKEN,
    CLIPGUARD_AUDIT_KEY_FILE: keyFile,
    CLIPGUARD_AUDIT_CHECKPOINT_DIR: checkpoints,
    CLIPGUARD_AUDIT_CHECKPOINT_INTERVAL_MS: '1000',
  },
});
const client = new PipelineClient(stack);
const bearer = { authorization: `Bearer ${TOKEN}` };
const verify = () =>
  clipguard('audit', 'verify', '--database-url', stack.env('DATABASE_URL'), '--checkpoints', checkpoints);

beforeAll(() => stack.start(), 120_000);
afterAll(() => stack.stop(), 60_000);

describe('operating the pipeline', () => {
  it('exposes metrics on every app only to the operator token, workers on HOST only', async () => {
    const png = await client.scene({ shape: 'circle', colour: 'red', size: 'large' }, 1);
    await client.settled((await client.send('acme', eventBody('evt-metrics', png))).body.submission_id);
    const endpoints = [
      `${stack.apiUrl}/metrics`,
      `http://127.0.0.1:${stack.metricsPorts.worker}/metrics`,
      `http://127.0.0.1:${stack.metricsPorts.decision}/metrics`,
    ];
    for (const url of endpoints) expect([url, (await fetch(url)).status]).toEqual([url, 401]);
    const [api, worker, decision] = await Promise.all(
      endpoints.map(async (u) => (await fetch(u, { headers: bearer })).text()),
    );
    expect(api).toMatch(/clipguard_http_requests_total\{route="\/v1\/webhooks\/:tenant",status="202"\} \d+/);
    expect(api).toMatch(/clipguard_queue_jobs\{queue="embed",state="waiting"\} \d+/);
    expect(api).toMatch(/clipguard_unfinished_oldest_seconds \d/);
    expect(worker).toMatch(/clipguard_encoder_batch_size_count [1-9]/);
    expect(decision).toMatch(/clipguard_verdicts_total\{verdict="block"\} [1-9]/);
    expect(decision).toMatch(/clipguard_flagged_categories_total\{category="red"\} [1-9]/);
    // HOST is 127.0.0.1: another loopback address must not reach the workers' metrics servers.
    await expect(fetch(`http://127.0.0.2:${stack.metricsPorts.worker}/health/live`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.2:${stack.metricsPorts.decision}/health/live`)).rejects.toThrow();
  });

  it('shows readiness details only to the operator token', async () => {
    const anonymous = (await (await fetch(`${stack.apiUrl}/health/ready`)).json()) as Record<string, unknown>;
    expect(anonymous).toEqual({ status: 'ready' });
    const operator = (await (await fetch(`${stack.apiUrl}/health/ready`, { headers: bearer })).json()) as {
      checks: { postgres: string; clip_workers: number; unfinished: { count: number } };
    };
    expect(operator.checks).toMatchObject({
      postgres: 'ok',
      unfinished: { count: expect.any(Number) as number },
    });
    expect(operator.checks.clip_workers).toBeGreaterThanOrEqual(1);
  });

  it("records each policy version's activation once, across a restart of the decision service", async () => {
    expect(await stack.kill('decision-service', 'SIGTERM')).toBe('SIGTERM');
    await stack.spawn('decision-service', /decision-service ready/, 'decision-service-2');
    const activations = await stack.db
      .selectFrom('audit_log')
      .select('ref')
      .where('kind', '=', 'policy_activation')
      .execute();
    expect(activations.map((a) => a.ref.split(':').slice(0, 2).join(':')).sort()).toEqual([
      'policy:shapes-audit@v1',
      'policy:shapes-audit@v2',
      'policy:shapes@v1',
      'policy:shapes@v2',
    ]);
  });

  it('signs checkpoints of the audit head, served to outsiders, and verify passes against them', async () => {
    const ids = await client.sendMany('evt-audit', 5, { shape: 'star', colour: 'yellow', size: 'large' }, 40);
    await client.allDecided(ids, 'decisions');
    const head = await stack.db
      .selectFrom('audit_log')
      .select(sql<string>`max(seq)`.as('seq'))
      .executeTakeFirstOrThrow();
    const served = await stack.eventually(
      async () => {
        const res = (await (await fetch(`${stack.apiUrl}/v1/audit/checkpoints`)).json()) as {
          public_key: string | null;
          checkpoints: { seq: string }[];
        };
        return res.checkpoints.some((c) => BigInt(c.seq) >= BigInt(head.seq)) ? res : undefined;
      },
      30_000,
      'a checkpoint covering the head',
    );
    expect(served.public_key).toContain('BEGIN PUBLIC KEY');
    const ok = await verify();
    expect([ok.code, ok.stderr]).toEqual([0, '']);
  });

  it('detects the newest entries deleted (a cut head) and an edited entry', async () => {
    await stack.kill('decision-service-2', 'SIGTERM'); // no new checkpoints of the altered chain
    const last = await stack.db
      .selectFrom('audit_log')
      .select(['seq'])
      .orderBy('seq', 'desc')
      .limit(2)
      .execute();
    await stack.db.deleteFrom('audit_log').where('seq', '>=', last[1].seq).execute();
    const cut = await verify();
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(
      /checkpoint mismatch: checkpoint-\d{20}\.json: the chain ends at seq \d+, but the checkpoint of .* covers seq \d+/,
    );
    const victim = await stack.db
      .selectFrom('audit_log')
      .select('seq')
      .where('kind', '=', 'decision')
      .orderBy('seq')
      .limit(1)
      .executeTakeFirstOrThrow();
    await sql`update audit_log set body = jsonb_set(body, '{verdict}', '"allow"') where seq = ${victim.seq}`.execute(
      stack.db,
    );
    const edited = await verify();
    expect(edited.code).toBe(1);
    expect(edited.stderr).toContain(
      `audit chain broken at entry ${victim.seq}: content does not match its hash`,
    );
  });
});
