import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import {
  computeFairness,
  subjectOf,
  summarizeFairness,
  type AuditedDecision,
  type FairnessBaseline,
} from '@clipguard/audit';
import { FairnessAuditRepository, PolicyVersions } from '@clipguard/storage';
import { REPO_ROOT, createTestDatabase, type TestDatabase } from '@clipguard/testing';
import { BaselineRecorder } from './baseline-recorder';

const dir = mkdtempSync(join(tmpdir(), 'clipguard-baselines-'));
cpSync(join(REPO_ROOT, 'test/fixtures/policies/shapes-audit'), join(dir, 'shapes-audit'), {
  recursive: true,
});
const versions = new PolicyVersions(dir);

const decision = (size: string, flagged: boolean): AuditedDecision => ({
  submissionId: 's',
  decidedAt: new Date(),
  verdict: flagged ? 'block' : 'allow',
  categoryScores: {},
  reasons: flagged ? [{ category: 'red', verdict: 'block' }] : [],
  attributes: { size: { value: size, confidence: 0.9, margin: 0.5 } },
});

/** A baseline where `flaggedSmall` of 50 small and 10 of 50 large shapes were flagged. */
function baseline(
  version: number,
  flaggedSmall: number,
  hash = versions.get('shapes-audit', version).hash,
): FairnessBaseline {
  const decisions = [
    ...Array.from({ length: 50 }, (_, i) => decision('small', i < flaggedSmall)),
    ...Array.from({ length: 50 }, (_, i) => decision('large', i < 10)),
  ];
  const figures = computeFairness(decisions, subjectOf(versions.get('shapes-audit', version).policy));
  return {
    v: 1,
    policy: { id: 'shapes-audit', version, hash },
    modelId: 'tiny-clip/fp32@test',
    labels: { file: 'labels.csv', sha256: 'same', images: 100 },
    generatedAt: '2026-03-01T00:00:00.000Z',
    summary: summarizeFairness(figures),
  };
}
const write = (version: number, b: FairnessBaseline) =>
  writeFileSync(join(dir, 'shapes-audit', `v${version}.fairness.json`), JSON.stringify(b));
const activated = (version: number) => ({
  policy: { id: 'shapes-audit', version },
  hash: versions.get('shapes-audit', version).hash,
});

let t: TestDatabase;
let recorder: BaselineRecorder;
const warnings: string[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void warnings.push(line) });

beforeAll(async () => {
  t = await createTestDatabase();
  recorder = new BaselineRecorder(versions, new FairnessAuditRepository(t.db), logger);
}, 60_000);
afterAll(() => t.drop());

const baselines = () =>
  t.db
    .selectFrom('audit_log')
    .select(['ref', 'body'])
    .where('kind', '=', 'fairness_baseline')
    .orderBy('seq')
    .execute();

describe('fairness baselines at activation (PostgreSQL)', () => {
  it("records each version's baseline once, the later one beside the earlier one's", async () => {
    write(1, baseline(1, 40));
    write(2, baseline(2, 12));
    // activated together (a service starting): v1 first, so v2 is compared with it
    await recorder.record([activated(2), activated(1)]);
    await recorder.record([activated(1), activated(2)]);
    const [v1, v2] = await baselines();
    expect((await baselines()).length).toBe(2);
    expect(v1.ref).toBe(`shapes-audit@v1:${activated(1).hash}`);
    expect(v1.body).toMatchObject({ comparison: { previous: null } });
    expect(v2.body).toMatchObject({ comparison: { previous: { version: 1 }, sameLabels: true } });
    const size = (
      v2.body.comparison as {
        probes: { probe: string; lowestRatio: { previous: { value: number }; current: { value: number } } }[];
      }
    ).probes.find((p) => p.probe === 'size');
    // v1: 10/50 ÷ 40/50 = 0.25; v2: 10/50 ÷ 12/50 ≈ 0.833
    expect(size?.lowestRatio.previous.value).toBeCloseTo(0.25, 12);
    expect(size?.lowestRatio.current.value).toBeCloseTo(10 / 12, 12);
  });

  it('refuses a baseline measured on other content, and records nothing for a version without one', async () => {
    const other = mkdtempSync(join(tmpdir(), 'clipguard-baselines-'));
    cpSync(join(REPO_ROOT, 'test/fixtures/policies/shapes'), join(other, 'shapes'), { recursive: true });
    const stale = {
      ...baseline(1, 40, 'f'.repeat(64)),
      policy: { id: 'shapes', version: 1, hash: 'f'.repeat(64) },
    };
    writeFileSync(join(other, 'shapes', 'v1.fairness.json'), JSON.stringify(stale));
    const r = new BaselineRecorder(new PolicyVersions(other), new FairnessAuditRepository(t.db), logger);
    const shapes = new PolicyVersions(other);
    await r.record(
      [1, 2].map((v) => ({ policy: { id: 'shapes', version: v }, hash: shapes.get('shapes', v).hash })),
    );
    expect(await baselines()).toHaveLength(2);
    expect(warnings.join('')).toMatch(/shapes\/v1\.fairness\.json was measured on other content/);
  });
});
