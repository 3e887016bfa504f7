import { join } from 'node:path';
import type { AuditedDecision } from '@clipguard/audit';
import { loadPipelineEnv, tenantsFileSchema, type AppEnv, type TenantsFile } from '@clipguard/config';
import { ApiError } from '@clipguard/contracts';
import { PolicyVersions, type DecisionWindow, type FairnessRepository } from '@clipguard/storage';
import { REPO_ROOT } from '@clipguard/testing';
import { FairnessService } from './fairness.service';

const POLICIES = join(REPO_ROOT, 'test/fixtures/policies');

/** A fake repository: hands out the given decisions in pages of two and records what it was asked. */
function fakeRepo(decisions: AuditedDecision[]) {
  const asked: DecisionWindow[] = [];
  const repo = {
    async *decisions(w: DecisionWindow) {
      asked.push(w);
      for (let i = 0; i < decisions.length; i += 2) yield await Promise.resolve(decisions.slice(i, i + 2));
    },
    firstDecisionAt: () => Promise.resolve(undefined),
  };
  return { repo: repo as unknown as FairnessRepository, asked };
}

const decision = (size: string, flagged: boolean): AuditedDecision => ({
  submissionId: 's',
  decidedAt: new Date('2026-03-01T12:00:00Z'),
  verdict: flagged ? 'block' : 'allow',
  categoryScores: { red: flagged ? 0.9 : 0.1 },
  reasons: flagged ? [{ category: 'red', verdict: 'block' }] : [],
  attributes: { size: { value: size, confidence: 0.9, margin: 0.8 } },
});
// small: 20 of 40 flagged; large: 4 of 40
const TRAFFIC = [
  ...Array.from({ length: 40 }, (_, i) => decision('small', i < 20)),
  ...Array.from({ length: 40 }, (_, i) => decision('large', i < 4)),
];

const tenants: TenantsFile = tenantsFileSchema.parse({
  tenants: { acme: { name: 'Acme', policy: { id: 'shapes-audit', version: 1 } } },
});

function service(decisions: AuditedDecision[], env: Partial<AppEnv> = {}) {
  const { repo, asked } = fakeRepo(decisions);
  const appEnv = { ...loadPipelineEnv({}), ...env };
  return { sut: new FairnessService(repo, new PolicyVersions(POLICIES), tenants, appEnv), asked };
}

describe('FairnessService', () => {
  it("reports the tenant's live version over the default window, with the figures' alerts", async () => {
    const { sut, asked } = service(TRAFFIC, { CLIPGUARD_FAIRNESS_WINDOW_HOURS: 24 });
    const until = new Date('2026-03-02T00:00:00Z');
    const report = (await sut.report({ tenant: 'acme', until })) as {
      v: number;
      meta: { tenant: string; window: { since: string } };
      decisions: number;
      alerts: { kind: string; probe: string; group: string; favoured: string }[];
    };
    expect(asked).toEqual([
      {
        policy: { id: 'shapes-audit', version: 1 },
        tenant: 'acme',
        since: new Date('2026-03-01T00:00:00Z'),
        until,
      },
    ]);
    expect(report).toMatchObject({ v: 1, decisions: 80, meta: { tenant: 'acme' } });
    // 0.1 / 0.5 = 0.2, well under four fifths with 40 decisions a group
    expect(report.alerts).toContainEqual(
      expect.objectContaining({ kind: 'selection_ratio', probe: 'size', group: 'small', favoured: 'large' }),
    );
  });

  it('takes ID@vN as given, and the newest version of a policy the tenant does not run', async () => {
    const { sut, asked } = service([]);
    await sut.report({ tenant: 'acme', policy: { id: 'shapes-audit', version: 2 } });
    await sut.report({ tenant: 'acme', policy: { id: 'shapes' } });
    expect(asked.map((w) => w.policy)).toEqual([
      { id: 'shapes-audit', version: 2 },
      { id: 'shapes', version: 2 },
    ]);
  });

  it('answers an unknown policy with POLICY_NOT_FOUND without naming server paths', async () => {
    const { sut } = service([]);
    const err = await sut
      .report({ tenant: 'acme', policy: { id: 'shapes', version: 9 } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'POLICY_NOT_FOUND', status: 404 });
    expect((err as Error).message).not.toContain(POLICIES);
  });

  it('refuses a window with more decisions than the limit as QUERY_INVALID', async () => {
    const { sut } = service(TRAFFIC, { CLIPGUARD_FAIRNESS_MAX_DECISIONS: 79 });
    await expect(sut.report({ tenant: 'acme' })).rejects.toMatchObject({
      code: 'QUERY_INVALID',
      status: 400,
    });
  });

  it('gives daily distributions, and no stability before the version has a first decision', async () => {
    const { sut } = service(TRAFFIC, { CLIPGUARD_DRIFT_BINS: 2 });
    const drift = await sut.drift({ tenant: 'acme', since: new Date('2026-03-01T00:00:00Z') });
    expect(drift.days).toEqual([
      expect.objectContaining({
        day: '2026-03-01',
        decisions: 80,
        scores: [
          { category: 'red', counts: [56, 24] },
          { category: 'star', counts: [0, 0] },
        ],
      }),
    ]);
    expect(drift).toMatchObject({ bins: 2, baseline: null, stability: null });
  });
});
