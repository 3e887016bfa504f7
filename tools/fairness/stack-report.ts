// The fairness report of a real run, and its screenshot for the README:
//   nice node -r @swc-node/register tools/fairness/stack-report.ts [--out DIR] [--screenshot FILE] [--full-page]
// Starts the three services (test/support/stack.ts: real Redis, a fresh PostgreSQL database, the tiny CLIP)
// with test/fixtures/policies/shapes-audit v1 and every decision sampled for review, sends 240 rendered
// shapes through signed webhooks, resolves every review item through the API as a scripted moderator would
// (the true categories, except that one small star in three is allowed: false positives the report should
// show), then runs `clipguard report fairness` on the stored data and screenshots the HTML with Chromium.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { runCli } from '@clipguard/cli';
import { PipelineClient, REPO_ROOT, Stack, eventBody, type Scene } from '@clipguard/testing';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: '/tmp/clipguard-fairness-stack' },
    screenshot: { type: 'string', default: join(REPO_ROOT, 'docs', 'fairness', 'report.png') },
    'full-page': { type: 'boolean', default: false },
  },
});

const OTHERS = ['circle', 'square', 'triangle', 'cross', 'heart'] as const;
const COLOURS = ['green', 'blue', 'yellow', 'purple', 'orange', 'black', 'white'] as const;

/** Small shapes are red or stars far more often than large ones; one or two shapes per image. */
function scenes(): { scene: Scene; truth: string[]; allowAnyway: boolean }[] {
  const make = (size: 'small' | 'large', red: number, stars: number, rest: number) => [
    ...Array.from({ length: red }, (_, i) => ({
      scene: { shape: OTHERS[i % 5], colour: 'red' as const, size, count: ((i % 2) + 1) as 1 | 2 },
      truth: ['red'],
      allowAnyway: false,
    })),
    ...Array.from({ length: stars }, (_, i) => ({
      scene: { shape: 'star' as const, colour: COLOURS[i % 7], size, count: ((i % 2) + 1) as 1 | 2 },
      truth: ['star'],
      allowAnyway: size === 'small' && i % 3 === 0,
    })),
    ...Array.from({ length: rest }, (_, i) => ({
      scene: { shape: OTHERS[i % 5], colour: COLOURS[(i + 3) % 7], size, count: ((i % 2) + 1) as 1 | 2 },
      truth: [],
      allowAnyway: false,
    })),
  ];
  return [...make('small', 45, 30, 45), ...make('large', 12, 18, 90)];
}

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
    for (const [i, s] of scenes().entries()) {
      const r = await client.send('acme', eventBody(`report-${i}`, await client.scene(s.scene, 7000 + i)));
      sent.set(r.body.submission_id, s);
    }
    await client.allDecided([...sent.keys()], 'the report traffic to be decided', 300_000);
    const headers = { authorization: 'Bearer acme-key', 'content-type': 'application/json' };
    const listed = (await (await fetch(`${stack.apiUrl}/v1/reviews?limit=500`, { headers })).json()) as {
      items: { id: string; submission_id: string }[];
    };
    for (const item of listed.items) {
      const s = sent.get(item.submission_id);
      const block = Boolean(s?.truth.length) && !s?.allowAnyway;
      await fetch(`${stack.apiUrl}/v1/reviews/${item.id}/resolve`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          verdict: block ? 'block' : 'allow',
          moderator: 'script',
          labels: block ? s?.truth : [],
        }),
      });
    }
    const lines: string[] = [];
    const io = {
      out: (l: string) => lines.push(l),
      err: (l: string) => lines.push(l),
      interactive: false,
      setExitCode: () => undefined,
    };
    await runCli(
      [
        'report',
        'fairness',
        '--policy',
        'shapes-audit@v1',
        '--tenant',
        'acme',
        '--out',
        values.out,
        '--database-url',
        stack.env('DATABASE_URL'),
        '--policies',
        join(REPO_ROOT, 'test/fixtures/policies'),
      ],
      io,
    );
    console.log(lines.join('\n'));
  } finally {
    await stack.stop();
  }
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
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
