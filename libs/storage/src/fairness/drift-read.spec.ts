import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy } from '@clipguard/policy';
import { REPO_ROOT, createTestDatabase, seedDecision, type TestDatabase } from '@clipguard/testing';
import { FairnessRepository } from '../repositories/fairness.repository';
import { collectPages, FairnessWindowTooLargeError } from './collect';
import { driftOf } from './drift-read';
import { fairnessOf } from './fairness-read';

const file = join(REPO_ROOT, 'test/fixtures/policies/shapes-audit/v1.yaml');
const { policy, hash } = parsePolicy(readFileSync(file, 'utf8'), file);
const V1 = { id: policy.id, version: policy.version, hash };
const SETTINGS = { bins: 4, level: 0.25, baselineDays: 7, maxDecisions: 1000 };
let t: TestDatabase;
let repo: FairnessRepository;

const day = (d: number, h = 12) => new Date(Date.UTC(2026, 2, 1 + d, h)).toISOString();

beforeAll(async () => {
  t = await createTestDatabase();
  repo = new FairnessRepository(t.db);
  // Baseline week (days 0–6): red scores low. Days 10–11: red scores high, and half the verdicts are blocks.
  for (let d = 0; d < 7; d++)
    for (let i = 0; i < 4; i++)
      await seedDecision(t.db, {
        at: day(d, i),
        policy: V1,
        verdict: 'allow',
        scores: { red: 0.1, star: 0.1 },
      });
  for (const d of [10, 11])
    for (let i = 0; i < 6; i++)
      await seedDecision(t.db, {
        at: day(d, i),
        policy: V1,
        verdict: i % 2 ? 'block' : 'allow',
        scores: { red: i % 2 ? 0.9 : 0.1, star: 0.1 },
        reasons: i % 2 ? [{ category: 'red', verdict: 'block' }] : [],
        attributes: { size: { value: i < 3 ? 'small' : 'large', confidence: 0.9, margin: 0.8 } },
      });
}, 120_000);
afterAll(() => t.drop());

describe('drift of a version for a tenant (PostgreSQL)', () => {
  const window = { tenant: 'acme', since: new Date(day(9, 0)), until: new Date(day(12, 0)) };

  it("compares the window's decisions after the baseline week with the week after the first decision", async () => {
    const { decisions } = await fairnessOf(repo, policy, window, { minGroupSize: 1, maxDecisions: 1000 });
    const report = await driftOf(repo, policy, window, decisions, SETTINGS);
    expect(report.days.map((d) => [d.day, d.decisions, d.verdicts.block.count])).toEqual([
      ['2026-03-11', 6, 3],
      ['2026-03-12', 6, 3],
    ]);
    expect(report.days[0].scores.find((s) => s.category === 'red')?.counts).toEqual([3, 0, 0, 3]);
    expect(report.baseline).toEqual({
      since: day(0, 0),
      until: day(7, 0),
      decisions: 28,
      complete: true,
    });
    const [verdicts, red, star] = report.stability?.figures ?? [];
    expect(report.stability?.decisions).toBe(12);
    expect(verdicts).toMatchObject({ category: null, baseline: 28, current: 12, drifted: true });
    expect(red).toMatchObject({ category: 'red', drifted: true });
    // same scores, different sample sizes: only the smoothing's pseudo-counts move it off 0
    expect(star).toMatchObject({ category: 'star', drifted: false });
    expect(star.psi.value).toBeLessThan(0.1);
  });

  it('has no stability figures while the baseline week is still running', async () => {
    const early = { tenant: 'acme', since: new Date(day(0, 0)), until: new Date(day(3, 0)) };
    const { decisions } = await fairnessOf(repo, policy, early, { minGroupSize: 1, maxDecisions: 1000 });
    const report = await driftOf(repo, policy, early, decisions, SETTINGS);
    expect(report.baseline).toMatchObject({ complete: false, decisions: 0 });
    expect(report.stability).toBeNull();
    expect(report.days).toHaveLength(3);
  });

  it('reads the figures of the window and refuses a window over the limit', async () => {
    const { figures } = await fairnessOf(repo, policy, window, { minGroupSize: 1, maxDecisions: 1000 });
    expect(figures).toMatchObject({ decisions: 12, policy: { id: 'shapes-audit', version: 1 } });
    const size = figures.probes.find((p) => p.probe === 'size');
    expect(size?.slices[0].groups.map((g) => [g.group, g.n, g.flag.count])).toEqual([
      ['small', 6, 2],
      ['large', 6, 4],
    ]);
    await expect(fairnessOf(repo, policy, window, { minGroupSize: 1, maxDecisions: 11 })).rejects.toThrow(
      FairnessWindowTooLargeError,
    );
    await expect(collectPages(repo.decisions({ policy: V1 }, { pageSize: 5 }), 39)).rejects.toThrow(/39/);
  });
});
