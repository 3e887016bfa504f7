import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy } from '@clipguard/policy';
import { clipguard, freshVerdictChanges } from '@clipguard/testing';
import { FairnessWorkspace } from './fairness-fixture';

jest.setTimeout(120_000);

const w = new FairnessWorkspace();
beforeAll(() => w.setUp(), 180_000);
afterAll(() => w.tearDown());
const images = () => new Map(w.seeded.map((x) => [x.id, x.png]));

describe('clipguard policy calibrate', () => {
  it('refuses when the window holds too few moderator labels, and writes nothing', async () => {
    const run = await clipguard(
      'policy',
      'calibrate',
      '--policy',
      'shapes-audit@v1',
      '--from-reviews',
      '--since',
      '2026-03-01T00:50:00Z',
      '--target-precision',
      '0.9',
      ...w.db(),
      ...w.model(),
    );
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(/red +review +10 .*refused/);
    expect(run.stderr).toMatch(/error\[LABELS_TOO_FEW\]: too few moderator labels to calibrate any category/);
    expect(existsSync(join(w.policies, 'shapes-audit/v2.draft.yaml'))).toBe(false);
  });

  it('writes a v2 draft whose thresholds reach the target on the labels, and replays it', async () => {
    const run = await clipguard(
      'policy',
      'calibrate',
      '--policy',
      'shapes-audit@v1',
      '--from-reviews',
      '--target-precision',
      '0.9',
      ...w.db(),
      ...w.model(),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // red's labels put its review threshold above its block threshold: refused, left as it is
    expect(run.stdout).toMatch(
      /red +review +60 +20 +0\.3 +refused +review [\d.]+ would cross the other threshold 0\.5/,
    );
    const draftFile = join(w.policies, 'shapes-audit/v2.draft.yaml');
    const draft = readFileSync(draftFile, 'utf8');
    const { policy } = parsePolicy(draft, draftFile);
    expect(policy.version).toBe(2);
    const star = policy.categories.filter((c) => c.id === 'star');
    expect(star[0].thresholds.review).not.toBe(0.4);
    for (const category of star) {
      const proposed = category.thresholds.review;
      const at = (th: number) => {
        const above = w.seeded.filter((s) => (s.scores[category.id] ?? 0) >= th);
        const hits = above.filter((s) => s.truth.includes(category.id)).length;
        return { precision: hits / above.length, hits };
      };
      // reaches the target, and no threshold that reaches it finds more of the labelled items (the most recall)
      expect(at(proposed).precision).toBeGreaterThanOrEqual(0.9);
      for (const th of w.seeded.map((s) => s.scores[category.id] ?? 0))
        if (at(th).precision >= 0.9) expect(at(th).hits).toBeLessThanOrEqual(at(proposed).hits);
    }
    // only thresholds, the version and comments differ from v1
    const original = readFileSync(join(w.policies, 'shapes-audit/v1.yaml'), 'utf8').split('\n');
    const changed = draft.split('\n').filter((l) => !original.includes(l));
    expect(changed.every((l) => /^\s*#|thresholds:|^version: 2$/.test(l))).toBe(true);
    expect(draft).toMatch(
      /# review: 0\.4 → [\d.]+ for precision ≥ 0\.9 on 60 moderator labels \(15 with the category\)/,
    );
    // what it would have done, against the same images encoded afresh and decided by v1 and the draft
    const changes = (await freshVerdictChanges(w.policyFile(1), draftFile, images(), w.cacheDir)).length;
    expect(run.stdout).toContain(`${changes} of 60 verdicts change`);
  });
});

describe('clipguard policy replay', () => {
  it('re-decides the stored embeddings as a fresh encode would, with transitions and fairness', async () => {
    const run = await clipguard(
      'policy',
      'replay',
      '--policy',
      'shapes-audit@v2',
      '--json',
      '--tenant',
      'acme',
      ...w.db(),
      ...w.model(),
    );
    expect(run.code).toBe(0);
    const r = JSON.parse(run.stdout) as {
      coverage: { decisions: number };
      decisions: number;
      transitions: Record<string, Record<string, number>>;
      changes: { submissionId: string; from: string; to: string }[];
      labelled: number;
      fixed: number;
      broken: number;
      fairness: { decisions: number };
    };
    const expected = await freshVerdictChanges(w.policyFile(1), w.policyFile(2), images(), w.cacheDir);
    expect(r.changes.map(({ submissionId, from, to }) => ({ submissionId, from, to }))).toEqual(
      expect.arrayContaining(expected),
    );
    expect(r.changes).toHaveLength(expected.length);
    expect(expected.length).toBeGreaterThan(0);
    expect(r).toMatchObject({
      decisions: 60,
      labelled: 60,
      coverage: { decisions: 60 },
      fairness: { decisions: 60 },
    });
    const total = Object.values(r.transitions).reduce(
      (n, row) => n + Object.values(row).reduce((a, b) => a + b, 0),
      0,
    );
    expect(total).toBe(60);
    const agrees = (verdict: string, truth: string[]) =>
      truth.length ? verdict !== 'allow' : verdict === 'allow';
    const truth = new Map(w.seeded.map((x) => [x.id, x.truth]));
    const fixed = expected.filter(
      (c) =>
        !agrees(c.from, truth.get(c.submissionId) ?? []) && agrees(c.to, truth.get(c.submissionId) ?? []),
    );
    expect(r.fixed).toBe(fixed.length);
    expect(run.stderr).toMatch(/60 decisions in [\d.]+ s \(\d+\/s\)/);
  });

  it('needs a version to replay', async () => {
    const run = await clipguard('policy', 'replay', '--policy', 'shapes-audit', ...w.db(), ...w.model());
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/error\[OPTION_INVALID\]: --policy shapes-audit: needs a version: ID@vN/);
  });
});
