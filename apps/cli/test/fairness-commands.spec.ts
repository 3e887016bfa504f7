import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClipEngine } from '@clipguard/clip';
import { parsePolicy, type CompiledPolicy } from '@clipguard/policy';
import {
  REPO_ROOT,
  TINY_CLIP_DIR,
  clipguard,
  createTestDatabase,
  renderScene,
  rng,
  seedDecision,
  type Scene,
  type TestDatabase,
} from '@clipguard/testing';
import { decideEmbeddings, loadCompiledPolicy } from '@clipguard/cli';

jest.setTimeout(120_000);

const tmp = mkdtempSync(join(tmpdir(), 'clipguard-fairness-cli-'));
const policies = join(tmp, 'policies');
cpSync(join(REPO_ROOT, 'test/fixtures/policies'), policies, { recursive: true });
const cacheDir = join(tmp, 'cache');
const images = join(tmp, 'images');
mkdirSync(images);
const labelRows = ['path,categories'];

/** 20 red shapes, 15 stars of other colours, 25 other shapes; sizes alternate. */
function scene(i: number): { scene: Scene; truth: string[] } {
  const size = i % 2 ? 'large' : 'small';
  const others = ['circle', 'square', 'triangle', 'cross', 'heart'] as const;
  const colours = ['green', 'blue', 'yellow', 'purple', 'orange', 'black', 'white'] as const;
  if (i < 20) return { scene: { shape: others[i % 5], colour: 'red', size }, truth: ['red'] };
  if (i < 35) return { scene: { shape: 'star', colour: colours[i % 7], size }, truth: ['star'] };
  return { scene: { shape: others[i % 5], colour: colours[i % 7], size }, truth: [] };
}

interface Seeded {
  id: string;
  frames: Float32Array[];
  truth: string[];
  verdict: string;
  scores: Record<string, number>;
  flagged: boolean;
  size: string;
}

let t: TestDatabase;
let engine: ClipEngine;
let v1: CompiledPolicy;
const seeded: Seeded[] = [];
const db = () => ['--database-url', `postgres://postgres@127.0.0.1:5432/${t.name}`, '--policies', policies];
const model = () => ['--model', TINY_CLIP_DIR, '--cache-dir', cacheDir];

beforeAll(async () => {
  t = await createTestDatabase();
  engine = await ClipEngine.open({ modelDir: TINY_CLIP_DIR, variant: 'fp32' });
  v1 = (await loadCompiledPolicy(engine, join(policies, 'shapes-audit/v1.yaml'), cacheDir)).compiled;
  for (let i = 0; i < 60; i++) {
    const { scene: s, truth } = scene(i);
    const png = await renderScene(s, rng(500 + i));
    writeFileSync(join(images, `${i}.png`), png);
    labelRows.push(`${i}.png,${truth.join(';')}`);
    const frames = (await engine.embedImage(png)).embeddings;
    const d = decideEmbeddings(engine, v1, frames);
    const id = await seedDecision(t.db, {
      at: new Date(Date.UTC(2026, 2, 1, 0, i)).toISOString(),
      modelId: engine.modelId,
      policy: d.policy,
      verdict: d.verdict,
      scores: d.categoryScores,
      reasons: d.reasons,
      attributes: d.attributes,
      frames,
      review: {
        trigger: d.verdict === 'review' ? 'verdict' : `sample:${d.verdict}`,
        resolve: truth.length ? 'block' : 'allow',
        labels: truth,
      },
    });
    seeded.push({
      id,
      frames,
      truth,
      verdict: d.verdict,
      scores: d.categoryScores,
      flagged: d.reasons.length > 0,
      size: d.attributes.size.value,
    });
  }
  writeFileSync(join(images, 'labels.csv'), `${labelRows.join('\n')}\n`);
  // A tenant whose small shapes are flagged six times as often as its large ones (no embeddings needed).
  for (let i = 0; i < 80; i++) {
    const small = i < 40;
    const flagged = small ? i < 30 : i < 45;
    await seedDecision(t.db, {
      at: new Date(Date.UTC(2026, 2, 2, 0, i)).toISOString(),
      tenant: 'skewed',
      policy: { id: 'shapes-audit', version: 1, hash: v1.hash },
      verdict: flagged ? 'block' : 'allow',
      scores: { red: flagged ? 0.9 : 0.1 },
      reasons: flagged ? [{ category: 'red', verdict: 'block' }] : [],
      attributes: {
        size: { value: small ? 'small' : 'large', confidence: 0.9, margin: 0.05 + (i % 10) / 10 },
      },
    });
  }
}, 180_000);
afterAll(async () => {
  await engine.close();
  await t.drop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('clipguard report fairness', () => {
  it('writes HTML, JSON and CSV of a tenant’s figures and exits 1 on an alert', async () => {
    const out = join(tmp, 'skewed');
    const run = await clipguard(
      'report',
      'fairness',
      '--policy',
      'shapes-audit@v1',
      '--tenant',
      'skewed',
      '--out',
      out,
      ...db(),
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/shapes-audit v1, tenant skewed: 80 decisions/);
    expect(run.stdout).toMatch(
      /alert {2}size, all categories: small is flagged more than large: ratio 0\.167/,
    );
    const json = JSON.parse(readFileSync(join(out, 'fairness.json'), 'utf8')) as {
      decisions: number;
      meta: { tenant: string };
    };
    expect(json).toMatchObject({ decisions: 80, meta: { tenant: 'skewed' } });
    const csv = readFileSync(join(out, 'fairness.csv'), 'utf8').split('\n');
    // 30 of 40 small and 5 of 40 large flagged, as seeded above
    expect(csv).toContainEqual(expect.stringMatching(/^size,\(all\),small,flag_rate,,30,40,0\.75,/));
    expect(csv).toContainEqual(expect.stringMatching(/^size,\(all\),large,flag_rate,,5,40,0\.125,/));
    const html = readFileSync(join(out, 'fairness.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('tenant <code>skewed</code>');
  });

  it('counts each group as the stored probes say, over every tenant', async () => {
    const run = await clipguard(
      'report',
      'fairness',
      '--policy',
      'shapes-audit@v1',
      '--until',
      '2026-03-02',
      '--min-group-size',
      '5',
      ...db(),
    );
    expect(run.stdout).toMatch(/: 60 decisions, 60 with a moderator label/);
    for (const size of ['small', 'large']) {
      const group = seeded.filter((s) => s.size === size);
      const share = group.filter((s) => s.flagged).length / group.length;
      expect(run.stdout).toMatch(new RegExp(`\\n${size} +${group.length} +${(share * 100).toFixed(1)}% \\[`));
    }
  });

  it('refuses a malformed policy reference or time with the reason', async () => {
    const bad = await clipguard('report', 'fairness', '--policy', 'Shapes@v0', ...db());
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(
      /error\[OPTION_INVALID\]: --policy Shapes@v0: a policy id, optionally with a version/,
    );
    const since = await clipguard(
      'report',
      'fairness',
      '--policy',
      'shapes-audit',
      '--since',
      'yesterday',
      ...db(),
    );
    expect(since.stderr).toMatch(
      /error\[OPTION_INVALID\]: --since yesterday: not a time\n {2}hint: an ISO date/,
    );
    const unknown = await clipguard('report', 'fairness', '--policy', 'shapes-audit@v7', ...db());
    expect(unknown.stderr).toMatch(/error\[POLICY_NOT_FOUND\]: policy shapes-audit v7 is not in/);
    const window = await clipguard(
      'report',
      'fairness',
      '--policy',
      'shapes-audit@v1',
      '--max-decisions',
      '100',
      ...db(),
    );
    expect(window.code).toBe(4);
    expect(window.stderr).toMatch(/error\[WINDOW_TOO_LARGE\]: the window holds more than 100 decisions/);
    const away = await clipguard(
      'report',
      'fairness',
      '--policy',
      'shapes-audit@v1',
      '--database-url',
      'postgres://postgres@127.0.0.1:1/none',
      '--policies',
      policies,
    );
    expect(away.stderr).toMatch(/error\[STORE_UNREADABLE\]: cannot read the stored decisions/);
  });
});

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
      ...db(),
      ...model(),
    );
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(/red +review +10 .*refused/);
    expect(run.stderr).toMatch(/error\[LABELS_TOO_FEW\]: too few moderator labels to calibrate any category/);
    expect(existsSync(join(policies, 'shapes-audit/v2.draft.yaml'))).toBe(false);
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
      ...db(),
      ...model(),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // red's labels put its review threshold above its block threshold: refused, left as it is
    expect(run.stdout).toMatch(
      /red +review +60 +20 +0\.3 +refused +review [\d.]+ would cross the other threshold 0\.5/,
    );
    const draftFile = join(policies, 'shapes-audit/v2.draft.yaml');
    const draft = readFileSync(draftFile, 'utf8');
    const { policy } = parsePolicy(draft, draftFile);
    expect(policy.version).toBe(2);
    const star = policy.categories.filter((c) => c.id === 'star');
    expect(star[0].thresholds.review).not.toBe(0.4);
    for (const category of star) {
      const proposed = category.thresholds.review;
      const at = (th: number) => {
        const above = seeded.filter((s) => (s.scores[category.id] ?? 0) >= th);
        const hits = above.filter((s) => s.truth.includes(category.id)).length;
        return { precision: hits / above.length, hits };
      };
      // reaches the target, and no threshold that reaches it finds more of the labelled items (the most recall)
      expect(at(proposed).precision).toBeGreaterThanOrEqual(0.9);
      for (const th of seeded.map((s) => s.scores[category.id] ?? 0))
        if (at(th).precision >= 0.9) expect(at(th).hits).toBeLessThanOrEqual(at(proposed).hits);
    }
    // only thresholds, the version and comments differ from v1
    const original = readFileSync(join(policies, 'shapes-audit/v1.yaml'), 'utf8').split('\n');
    const changed = draft.split('\n').filter((l) => !original.includes(l));
    expect(changed.every((l) => /^\s*#|thresholds:|^version: 2$/.test(l))).toBe(true);
    expect(draft).toMatch(
      /# review: 0\.4 → [\d.]+ for precision ≥ 0\.9 on 60 moderator labels \(15 with the category\)/,
    );
    // what it would have done, against the same decisions re-decided from fresh embeddings
    const compiled = (await loadCompiledPolicy(engine, draftFile, cacheDir)).compiled;
    const changes = seeded.filter(
      (s) => decideEmbeddings(engine, compiled, s.frames).verdict !== s.verdict,
    ).length;
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
      ...db(),
      ...model(),
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
    const v2 = (await loadCompiledPolicy(engine, join(policies, 'shapes-audit/v2.yaml'), cacheDir)).compiled;
    const expected = seeded
      .map((s) => ({
        submissionId: s.id,
        from: s.verdict,
        to: decideEmbeddings(engine, v2, s.frames).verdict,
      }))
      .filter((c) => c.from !== c.to);
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
    const fixed = seeded.filter(
      (s) => !agrees(s.verdict, s.truth) && agrees(decideEmbeddings(engine, v2, s.frames).verdict, s.truth),
    );
    expect(r.fixed).toBe(fixed.length);
    expect(run.stderr).toMatch(/60 decisions in [\d.]+ s \(\d+\/s\)/);
  });

  it('needs a version to replay', async () => {
    const run = await clipguard('policy', 'replay', '--policy', 'shapes-audit', ...db(), ...model());
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/error\[OPTION_INVALID\]: --policy shapes-audit: needs a version: ID@vN/);
  });
});

describe('clipguard policy eval --fairness', () => {
  it("writes each version's baseline beside its file and sets v2's disparity beside v1's", async () => {
    const evalRun = (v: number) =>
      clipguard(
        'policy',
        'eval',
        '--policy',
        join(policies, `shapes-audit/v${v}.yaml`),
        '--labels',
        join(images, 'labels.csv'),
        '--fairness',
        '--resamples',
        '100',
        '--out',
        join(tmp, `eval-v${v}`),
        ...model(),
      );
    const first = await evalRun(1);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /fairness on the evaluation set: 60 decisions, 60 with a moderator label \(60 QA\)/,
    );
    expect(first.stdout).toContain('no baseline of an earlier version beside v1');
    const second = await evalRun(2);
    expect(second.stdout).toMatch(/disparity of v2 beside v1: alerts \d+ → \d+/);
    expect(second.stdout).toMatch(/\nsize +[\d.–]+ → [\d.–]+/);
    const baseline = JSON.parse(readFileSync(join(policies, 'shapes-audit/v2.fairness.json'), 'utf8')) as {
      policy: { id: string; version: number; hash: string };
      labels: { file: string; images: number };
      summary: { decisions: number; labelled: number };
    };
    const v2 = parsePolicy(readFileSync(join(policies, 'shapes-audit/v2.yaml'), 'utf8'), 'v2.yaml');
    expect(baseline).toMatchObject({
      policy: { id: 'shapes-audit', version: 2, hash: v2.hash },
      labels: { file: 'labels.csv', images: 60 },
      summary: { decisions: 60, labelled: 60 },
    });
    expect(existsSync(join(tmp, 'eval-v2', 'fairness.html'))).toBe(true);
    expect(existsSync(join(tmp, 'eval-v2', 'report.html'))).toBe(true);
  });
});
