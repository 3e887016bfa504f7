import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { loadPipelineEnv, tenantsFileSchema } from '@clipguard/config';
import { parsePolicy, planPrompts } from '@clipguard/policy';
import { FairnessAuditRepository, FairnessRepository } from '@clipguard/storage';
import { REPO_ROOT, createTestDatabase, seedDecision, type TestDatabase } from '@clipguard/testing';
import { DecisionMetrics } from '../decision.metrics';
import type { PolicyPlans } from '../policy-plan';
import { FairnessJobService } from './fairness-job.service';
import { FairnessMetrics } from './fairness.metrics';

const file = join(REPO_ROOT, 'test/fixtures/policies/shapes-audit/v1.yaml');
const { policy, hash } = parsePolicy(readFileSync(file, 'utf8'), file);
const V1 = { id: policy.id, version: policy.version, hash };
const plans = { get: () => ({ policy, hash, prompts: planPrompts(policy) }) } as unknown as PolicyPlans;
const tenants = tenantsFileSchema.parse({
  tenants: {
    acme: { name: 'Acme', policy: { id: 'shapes-audit', version: 1 } },
    calm: { name: 'Calm', policy: { id: 'shapes-audit', version: 1 } },
  },
});
const at = (day: number, minute: number) => new Date(Date.UTC(2026, 2, day, 0, minute)).toISOString();
const size = (value: string) => ({ size: { value, confidence: 0.9, margin: 0.7 } });

let t: TestDatabase;
let job: FairnessJobService;
let metrics: DecisionMetrics;

beforeAll(async () => {
  t = await createTestDatabase();
  // The first week (from 1 March): 28 allows with low red scores.
  for (let d = 1; d <= 7; d++)
    for (let i = 0; i < 4; i++)
      await seedDecision(t.db, {
        at: at(d, i),
        policy: V1,
        verdict: 'allow',
        scores: { red: 0.05, star: 0.1 },
      });
  // 10–11 March: small shapes flagged red half the time, large ones one time in ten.
  for (let i = 0; i < 80; i++) {
    const small = i < 40;
    const red = small ? i < 20 : i < 44;
    await seedDecision(t.db, {
      at: at(10 + (i % 2), i),
      policy: V1,
      verdict: red ? 'block' : 'allow',
      scores: { red: red ? 0.95 : 0.05, star: 0.1 },
      reasons: red ? [{ category: 'red', verdict: 'block' }] : [],
      attributes: size(small ? 'small' : 'large'),
    });
  }
  metrics = new DecisionMetrics();
  const env = {
    ...loadPipelineEnv({}),
    CLIPGUARD_FAIRNESS_INTERVAL_MS: 3_600_000,
    CLIPGUARD_FAIRNESS_WINDOW_HOURS: 72,
  };
  job = new FairnessJobService(
    new FairnessRepository(t.db),
    new FairnessAuditRepository(t.db),
    new FairnessMetrics(metrics),
    plans,
    tenants,
    env,
    pino({ level: 'silent' }),
  );
}, 120_000);
afterAll(() => t.drop());

const entries = (kind: string) =>
  t.db.selectFrom('audit_log').select(['ref', 'body']).where('kind', '=', kind).orderBy('seq').execute();

describe('scheduled fairness job (PostgreSQL)', () => {
  it("records each tenant's figures for the slot, with the breach and the drift it finds", async () => {
    const runs = await job.runOnce(new Date('2026-03-12T00:40:00Z'));
    expect(runs).toEqual([
      {
        tenant: 'acme',
        policy: 'shapes-audit@v1',
        decisions: 80,
        alerts: expect.any(Number) as number,
        drifted: [null, 'red'],
        recorded: true,
      },
      { tenant: 'calm', policy: 'shapes-audit@v1', decisions: 0, alerts: 0, drifted: [], recorded: true },
    ]);
    expect(runs[0].alerts).toBeGreaterThan(0);
    const [acme, calm] = await entries('fairness');
    expect(acme).toMatchObject({
      ref: 'acme:shapes-audit@v1',
      body: {
        tenant: 'acme',
        policy: V1,
        window: { since: '2026-03-09T00:00:00.000Z', until: '2026-03-12T00:00:00.000Z' },
        slot: '2026-03-12T00:00:00.000Z',
        decisions: 80,
        breach: true,
      },
    });
    expect(acme.body.alerts).toContainEqual(
      expect.objectContaining({
        kind: 'selection_ratio',
        probe: 'size',
        category: null,
        group: 'small',
        favoured: 'large',
      }),
    );
    expect(calm.body).toMatchObject({ decisions: 0, breach: false, alerts: [] });
    const [drift] = await entries('drift');
    expect(drift).toMatchObject({
      ref: 'acme:shapes-audit@v1',
      body: { drifted: [null, 'red'], baseline: { decisions: 28, complete: true }, level: 0.25 },
    });
  });

  it('writes a slot once however often it runs, and the next slot again', async () => {
    const again = await job.runOnce(new Date('2026-03-12T00:59:59Z'));
    expect(again.map((r) => r.recorded)).toEqual([false, false]);
    expect(await entries('fairness')).toHaveLength(2);
    expect(await entries('drift')).toHaveLength(1);
    const next = await job.runOnce(new Date('2026-03-12T01:00:00Z'));
    expect(next.map((r) => r.recorded)).toEqual([true, true]);
    expect(await entries('fairness')).toHaveLength(4);
  });

  it('shows the breach and the PSI as metrics', async () => {
    const text = await metrics.registry.metrics();
    const alerts = /clipguard_fairness_alerts\{tenant="acme",policy="shapes-audit@v1"\} (\d+)/.exec(text);
    expect(Number(alerts?.[1])).toBeGreaterThan(0);
    expect(text).toMatch(/clipguard_fairness_alerts\{tenant="calm",policy="shapes-audit@v1"\} 0/);
    const psi = /clipguard_drift_psi\{tenant="acme",policy="shapes-audit@v1",category="red"\} ([\d.]+)/.exec(
      text,
    );
    expect(Number(psi?.[1])).toBeGreaterThanOrEqual(0.25);
  });
});
