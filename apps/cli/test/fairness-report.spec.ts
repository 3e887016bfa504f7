import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy } from '@clipguard/policy';
import { clipguard } from '@clipguard/testing';
import { FairnessWorkspace } from './fairness-fixture';

jest.setTimeout(120_000);

const w = new FairnessWorkspace();
beforeAll(() => w.setUp(), 180_000);
afterAll(() => w.tearDown());

describe('clipguard report fairness', () => {
  it('writes HTML, JSON and CSV of a tenant’s figures and exits 1 on an alert', async () => {
    const out = join(w.tmp, 'skewed');
    const run = await clipguard(
      'report',
      'fairness',
      '--policy',
      'shapes-audit@v1',
      '--tenant',
      'skewed',
      '--out',
      out,
      ...w.db(),
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
      ...w.db(),
    );
    expect(run.stdout).toMatch(/: 60 decisions, 60 with a moderator label/);
    for (const size of ['small', 'large']) {
      const group = w.seeded.filter((s) => s.size === size);
      const share = group.filter((s) => s.flagged).length / group.length;
      expect(run.stdout).toMatch(new RegExp(`\\n${size} +${group.length} +${(share * 100).toFixed(1)}% \\[`));
    }
  });

  it('refuses a malformed policy reference or time with the reason', async () => {
    const bad = await clipguard('report', 'fairness', '--policy', 'Shapes@v0', ...w.db());
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
      ...w.db(),
    );
    expect(since.stderr).toMatch(
      /error\[OPTION_INVALID\]: --since yesterday: not a time\n {2}hint: an ISO date/,
    );
    const unknown = await clipguard('report', 'fairness', '--policy', 'shapes-audit@v7', ...w.db());
    expect(unknown.stderr).toMatch(/error\[POLICY_NOT_FOUND\]: policy shapes-audit v7 is not in/);
    const window = await clipguard(
      'report',
      'fairness',
      '--policy',
      'shapes-audit@v1',
      '--max-decisions',
      '100',
      ...w.db(),
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
      w.policies,
    );
    expect(away.stderr).toMatch(/error\[STORE_UNREADABLE\]: cannot read the stored decisions/);
  });
});

describe('clipguard policy eval --fairness', () => {
  it("writes each version's baseline beside its file and sets v2's disparity beside v1's", async () => {
    const evalRun = (v: number) =>
      clipguard(
        'policy',
        'eval',
        '--policy',
        join(w.policies, `shapes-audit/v${v}.yaml`),
        '--labels',
        join(w.images, 'labels.csv'),
        '--fairness',
        '--resamples',
        '100',
        '--out',
        join(w.tmp, `eval-v${v}`),
        ...w.model(),
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
    const baseline = JSON.parse(readFileSync(join(w.policies, 'shapes-audit/v2.fairness.json'), 'utf8')) as {
      policy: { id: string; version: number; hash: string };
      labels: { file: string; images: number };
      summary: { decisions: number; labelled: number };
    };
    const v2 = parsePolicy(readFileSync(join(w.policies, 'shapes-audit/v2.yaml'), 'utf8'), 'v2.yaml');
    expect(baseline).toMatchObject({
      policy: { id: 'shapes-audit', version: 2, hash: v2.hash },
      labels: { file: 'labels.csv', images: 60 },
      summary: { decisions: 60, labelled: 60 },
    });
    expect(existsSync(join(w.tmp, 'eval-v2', 'fairness.html'))).toBe(true);
    expect(existsSync(join(w.tmp, 'eval-v2', 'report.html'))).toBe(true);
  });
});
