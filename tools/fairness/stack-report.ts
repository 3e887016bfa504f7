// The fairness report of a real run, and its screenshot for the README:
//   nice node -r @swc-node/register tools/fairness/stack-report.ts [--out DIR] [--screenshot FILE] [--full-page]
// Starts the three services (test/support/stack.ts: real Redis, a fresh PostgreSQL database, the tiny CLIP)
// with test/fixtures/policies/shapes-audit v1 and every decision sampled for review, sends 240 rendered
// shapes through signed webhooks, resolves every review item through the API as a scripted moderator would
// (the true categories, except that one small star in three is allowed: false positives the report should
// show), then runs `clipguard report fairness` on the stored data and screenshots the HTML with Chromium.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  PipelineClient,
  REPO_ROOT,
  Stack,
  eventBody,
  resolveAllReviews,
  shapesTraffic,
} from '@clipguard/testing';
import { launchChromium } from '@clipguard/testing/browser';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: '/tmp/clipguard-fairness-stack' },
    screenshot: { type: 'string', default: join(REPO_ROOT, 'docs', 'fairness', 'report.png') },
    'full-page': { type: 'boolean', default: false },
  },
});

// Small shapes are red or stars far more often than large ones; one or two shapes per image.
const SCENES = shapesTraffic(
  { small: { red: 45, stars: 30, others: 45 }, large: { red: 12, stars: 18, others: 90 } },
  true,
);

async function main(): Promise<void> {
  const stack = new Stack({
    env: { CLIPGUARD_REVIEW_SAMPLE_RATE: '1', CLIPGUARD_FAIRNESS_INTERVAL_MS: '0' },
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
  await stack.start();
  try {
    const sent = new Map<string, { truth: string[]; allowAnyway: boolean }>();
    let smallStars = 0;
    for (const [i, s] of SCENES.entries()) {
      const r = await client.send('acme', eventBody(`report-${i}`, await client.scene(s.scene, 7000 + i)));
      // the scripted moderator lets one small star in three through
      const star = s.scene.shape === 'star' && s.scene.size === 'small';
      sent.set(r.body.submission_id, { truth: s.truth, allowAnyway: star && smallStars++ % 3 === 0 });
    }
    await client.allDecided([...sent.keys()], 'the report traffic to be decided', 300_000);
    await resolveAllReviews(stack, 'acme-key', (id) => {
      const s = sent.get(id);
      const block = Boolean(s?.truth.length) && !s?.allowAnyway;
      return { verdict: block ? 'block' : 'allow', labels: block ? (s?.truth ?? []) : [] };
    });
    // The command itself, as an operator runs it (its exit code is 1 when something alerts).
    const argv = [
      'report',
      'fairness',
      '--policy',
      'shapes-audit@v1',
      '--tenant',
      'acme',
      '--out',
      values.out,
    ];
    const store = [
      '--database-url',
      stack.env('DATABASE_URL'),
      '--policies',
      join(REPO_ROOT, 'test/fixtures/policies'),
    ];
    const cli = ['-r', '@swc-node/register', join(REPO_ROOT, 'apps/cli/src/main.ts')];
    let printed: string;
    try {
      printed = execFileSync(process.execPath, [...cli, ...argv, ...store], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
    } catch (err) {
      const failed = err as { status?: number; stdout?: string; stderr?: string };
      if (failed.status !== 1) throw new Error(`report fairness failed: ${failed.stderr ?? String(err)}`);
      printed = failed.stdout ?? '';
    }
    console.log(printed);
  } finally {
    await stack.stop();
  }
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1500 } });
    await page.goto(`file://${join(values.out, 'fairness.html')}`);
    mkdirSync(join(values.screenshot, '..'), { recursive: true });
    await page.screenshot({ path: values.screenshot, fullPage: values['full-page'] });
  } finally {
    await browser.close();
  }
  console.log(`screenshot ${values.screenshot}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
