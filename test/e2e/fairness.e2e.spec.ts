import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PipelineClient,
  REPO_ROOT,
  Stack,
  TINY_CLIP_DIR,
  ConsoleClient,
  addConsoleUser,
  clipguard,
  eventBody,
  freshVerdictChanges,
  resolveAllReviews,
  shapesTraffic,
  writeLabelledSet,
} from '@clipguard/testing';

jest.setTimeout(300_000);

// Policies with fairness baselines beside them, written by `policy eval --fairness` before the stack starts.
const tmp = mkdtempSync(join(tmpdir(), 'clipguard-fairness-e2e-'));
const policies = join(tmp, 'policies');
cpSync(join(REPO_ROOT, 'test/fixtures/policies'), policies, { recursive: true });
const cacheDir = join(tmp, 'cache');
const TOKEN = 'operator-token-0123456789';

const stack = new Stack({
  env: {
    CLIPGUARD_POLICIES_DIR: policies,
    CLIPGUARD_REVIEW_SAMPLE_RATE: '1',
    CLIPGUARD_FAIRNESS_INTERVAL_MS: '2000',
    CLIPGUARD_FAIRNESS_WINDOW_HOURS: '1',
    CLIPGUARD_METRICS_TOKEN: TOKEN,
  },
  tenants: (url) => [
    'tenants:',
    '  acme:',
    '    name: Acme',
    '    policy: { id: shapes-audit, version: 1 }',
    '    webhook_secret_envs: [ACME_SECRET]',
    `    callback_url: ${url}/callback`,
    '    callback_secret_env: ACME_CALLBACK_SECRET',
    '    api_key_envs: [ACME_API_KEY]',
  ],
});
const client = new PipelineClient(stack);

// Small shapes are flagged far more often than large ones: a real disparity in the size probe's groups.
const SCENES = shapesTraffic({
  small: { red: 25, stars: 10, others: 15 },
  large: { red: 3, stars: 5, others: 42 },
});
const sent = new Map<string, { png: Buffer; truth: string[] }>();
const model = ['--model', TINY_CLIP_DIR, '--cache-dir', cacheDir];

const api = (path: string, headers: Record<string, string> = { authorization: 'Bearer acme-key' }) =>
  fetch(`${stack.apiUrl}${path}`, { headers });
const auditOf = (kind: string) =>
  stack.db.selectFrom('audit_log').select(['ref', 'body']).where('kind', '=', kind).orderBy('seq').execute();

beforeAll(async () => {
  // The labelled evaluation set: every other scene, rendered with other seeds.
  const labels = await writeLabelledSet(
    join(tmp, 'eval'),
    SCENES.filter((_, i) => i % 2 === 0),
    9000,
  );
  for (const v of [1, 2]) {
    const policy = join(policies, `shapes-audit/v${v}.yaml`);
    const run = await clipguard(
      'policy',
      'eval',
      '--policy',
      policy,
      '--labels',
      labels,
      '--fairness',
      '--resamples',
      '100',
      ...model,
    );
    if (run.code !== 0) throw new Error(`policy eval --fairness v${v} failed: ${run.stderr}`);
  }
  await stack.start();
  for (const [i, s] of SCENES.entries()) {
    const png = await client.scene(s.scene, 100 + i);
    const r = await client.send('acme', eventBody(`fair-${i}`, png));
    sent.set(r.body.submission_id, { png, truth: s.truth });
  }
  await client.allDecided([...sent.keys()], 'the fairness traffic to be decided');
  // A moderator resolves every review and QA item through the API with the true categories.
  await resolveAllReviews(stack, 'acme-key', (id) => {
    const truth = sent.get(id)?.truth ?? [];
    return { verdict: truth.length ? 'block' : 'allow', labels: truth };
  });
}, 300_000);
afterAll(async () => {
  await stack.stop();
  rmSync(tmp, { recursive: true, force: true });
}, 60_000);

describe('fairness on the running stack', () => {
  it("records each version's evaluation baseline at activation, v2 beside v1", async () => {
    const baselines = await auditOf('fairness_baseline');
    expect(baselines.map((b) => b.ref.split(':')[0])).toEqual(['shapes-audit@v1', 'shapes-audit@v2']);
    expect(baselines[1].body).toMatchObject({
      baseline: { policy: { id: 'shapes-audit', version: 2 }, labels: { file: 'labels.csv', images: 50 } },
      comparison: { previous: { version: 1 }, sameLabels: true },
    });
  });

  it('finds the disparity in the scheduled run: audit entry, metric, readiness details', async () => {
    const entry = await stack.eventually(
      async () => {
        const all = await auditOf('fairness');
        return all.find((e) => e.body.decisions === 100 && e.body.labelled === 100);
      },
      30_000,
      'a fairness entry over every decision and label',
    );
    expect(entry.ref).toBe('acme:shapes-audit@v1');
    expect(entry.body).toMatchObject({ breach: true, policy: { id: 'shapes-audit', version: 1 } });
    expect(entry.body.alerts).toContainEqual(
      expect.objectContaining({
        kind: 'selection_ratio',
        probe: 'size',
        category: null,
        group: 'small',
        favoured: 'large',
      }),
    );
    const metrics = await (
      await fetch(`http://127.0.0.1:${stack.metricsPorts.decision}/metrics`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      })
    ).text();
    expect(
      Number(/clipguard_fairness_alerts\{tenant="acme",policy="shapes-audit@v1"\} (\d+)/.exec(metrics)?.[1]),
    ).toBeGreaterThan(0);
    expect(metrics).toMatch(
      /clipguard_category_score_count\{tenant="acme",policy="shapes-audit@v1",category="red"\} 100/,
    );
    const ready = (await (await api('/health/ready', { authorization: `Bearer ${TOKEN}` })).json()) as {
      checks: { fairness: { tenant: string; policy: string; last: { alerts: number; breach: boolean } }[] };
    };
    expect(ready.checks.fairness).toEqual([
      expect.objectContaining({
        tenant: 'acme',
        policy: 'shapes-audit@v1',
        last: expect.objectContaining({ breach: true }) as object,
      }),
    ]);
  });

  it('serves the same report to API-key callers, and refuses what it cannot answer', async () => {
    const report = (await (await api('/v1/reports/fairness?since=2020-01-01')).json()) as {
      decisions: number;
      labelled: number;
      alerts: { kind: string; probe: string; group?: string }[];
    };
    expect(report).toMatchObject({ decisions: 100, labelled: 100 });
    expect(report.alerts).toContainEqual(
      expect.objectContaining({ kind: 'selection_ratio', probe: 'size', group: 'small' }),
    );
    const missing = await api('/v1/reports/fairness?policy=shapes-audit@v9');
    expect([missing.status, ((await missing.json()) as { code: string }).code]).toEqual([
      404,
      'POLICY_NOT_FOUND',
    ]);
    const bad = await api('/v1/reports/fairness?policy=shapes-audit&tenant=other');
    expect([bad.status, ((await bad.json()) as { code: string }).code]).toEqual([400, 'QUERY_INVALID']);
    expect((await api('/v1/reports/fairness', {})).status).toBe(401);
  });

  it('gives auditors the report and drift in the console, and no one else', async () => {
    const signedIn = async (email: string, role: string) => {
      const user = await addConsoleUser(stack, email, [`acme:${role}`]);
      const console = new ConsoleClient(stack);
      expect((await console.login(user.email, user.password)).status).toBe(200);
      return console;
    };
    const query = '?policy=shapes-audit@v1&tenant=acme&since=2020-01-01';
    const auditor = await signedIn('auditor@acme.test', 'auditor');
    const fairness = await auditor.request<{ decisions: number }>('GET', `/v1/console/fairness${query}`);
    expect(fairness).toMatchObject({ status: 200, body: { decisions: 100 } });
    const drift = await auditor.request<{
      days: { decisions: number; scores: { category: string; counts: number[] }[] }[];
    }>('GET', `/v1/console/drift${query}`);
    expect(drift.body.days.reduce((n, d) => n + d.decisions, 0)).toBe(100);
    expect(drift.body.days[0].scores.map((s) => s.category)).toEqual(['red', 'star']);
    // the version went live minutes ago: its first week, the drift baseline, is still running
    expect(drift.body).toMatchObject({ baseline: { complete: false }, stability: null });
    const moderator = await signedIn('mod@acme.test', 'moderator');
    const refused = await moderator.request('GET', `/v1/console/fairness${query}`);
    expect(refused).toMatchObject({ status: 403, body: { code: 'ROLE_FORBIDDEN' } });
    expect((await api(`/v1/console/drift${query}`, {})).status).toBe(401);
  });

  it('reports, calibrates and replays on the stored data from the command line', async () => {
    const db = ['--database-url', stack.env('DATABASE_URL'), '--policies', policies];
    const out = join(tmp, 'report');
    const report = await clipguard(
      'report',
      'fairness',
      '--policy',
      'shapes-audit@v1',
      '--tenant',
      'acme',
      '--out',
      out,
      ...db,
    );
    expect(report.code).toBe(1);
    const json = JSON.parse(readFileSync(join(out, 'fairness.json'), 'utf8')) as {
      decisions: number;
      alerts: unknown[];
    };
    const fromApi = (await (await api('/v1/reports/fairness?since=2020-01-01')).json()) as {
      alerts: unknown[];
    };
    expect(json.decisions).toBe(100);
    expect(json.alerts).toEqual(fromApi.alerts);
    expect(readFileSync(join(out, 'fairness.html'), 'utf8')).toContain('<svg');

    const calibrate = await clipguard(
      'policy',
      'calibrate',
      '--policy',
      'shapes-audit@v1',
      '--from-reviews',
      '--target-precision',
      '0.9',
      ...db,
      ...model,
    );
    expect(calibrate.stdout).toMatch(/calibrating shapes-audit v1 on 100 moderator labels/);
    expect(calibrate.stdout).toMatch(/of 100 verdicts change/);
    expect(readFileSync(join(policies, 'shapes-audit/v2.draft.yaml'), 'utf8')).toMatch(
      /# review: .* on 100 moderator labels/,
    );

    const replay = await clipguard(
      'policy',
      'replay',
      '--policy',
      'shapes-audit@v2',
      '--tenant',
      'acme',
      '--json',
      ...db,
      ...model,
    );
    expect(replay.code).toBe(0);
    const r = JSON.parse(replay.stdout) as {
      decisions: number;
      changes: { submissionId: string; from: string; to: string }[];
    };
    // against the same images encoded afresh and decided by v1 and v2 in this process
    const images = new Map([...sent].map(([id, { png }]) => [id, png]));
    const file = (v: number) => join(policies, `shapes-audit/v${v}.yaml`);
    const expected = await freshVerdictChanges(file(1), file(2), images, cacheDir);
    expect(r.decisions).toBe(100);
    expect(expected.length).toBeGreaterThan(0);
    expect(r.changes.map(({ submissionId, from, to }) => ({ submissionId, from, to }))).toEqual(
      expect.arrayContaining(expected),
    );
    expect(r.changes).toHaveLength(expected.length);
  });
});
