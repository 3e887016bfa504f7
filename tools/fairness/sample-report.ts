// A sample fairness report from constructed data, and its screenshot for the docs:
//   node -r @swc-node/register tools/fairness/sample-report.ts [--out DIR] [--screenshot FILE] [--full-page]
// The decisions are made up (seeded): the default policy's categories and attribute probes, base flag rates
// of a few per cent, and one planted disparity (feminine-presenting images flagged as sexual three times as
// often, and more of those flags overturned by moderators).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  computeFairness,
  fairnessCsv,
  fairnessJson,
  renderFairnessHtml,
  subjectOf,
  type AuditedDecision,
  type HumanLabel,
  type Verdict,
} from '@clipguard/audit';
import { parsePolicy, seededRandom } from '@clipguard/policy';
import { REPO_ROOT } from '@clipguard/testing';
import { launchChromium } from '@clipguard/testing/browser';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: '/tmp/clipguard-fairness-sample' },
    screenshot: { type: 'string', default: join(REPO_ROOT, 'docs', 'fairness', 'report.png') },
    'full-page': { type: 'boolean', default: false },
  },
});
const random = seededRandom(2024);
const file = join(REPO_ROOT, 'policies', 'default', 'v1.yaml');
const { policy } = parsePolicy(readFileSync(file, 'utf8'), file);
const subject = subjectOf(policy);
const topLevel = policy.categories.map((c) => c.id);

function weighted<T extends string>(weights: Record<T, number>): T {
  let r = random();
  for (const [k, w] of Object.entries(weights) as [T, number][]) if ((r -= w) < 0) return k;
  return Object.keys(weights)[0] as T;
}

function oneDecision(i: number): AuditedDecision {
  const age = weighted({ child: 0.004, adult: 0.7, none: 0.296 });
  const gender = age === 'none' ? 'none' : weighted({ feminine: 0.5, masculine: 0.5 });
  const reasons: { category: string; verdict: Verdict }[] = [];
  for (const c of topLevel) {
    const rate = c === 'sexual' ? (gender === 'feminine' ? 0.06 : 0.02) : 0.012;
    if (random() < rate) reasons.push({ category: c, verdict: random() < 0.6 ? 'review' : 'block' });
  }
  const verdict: Verdict = reasons.some((r) => r.verdict === 'block')
    ? 'block'
    : reasons.length
      ? 'review'
      : 'allow';
  let label: HumanLabel | undefined;
  if (verdict !== 'allow') {
    const overturned = random() < (gender === 'feminine' ? 0.4 : 0.2);
    const found = reasons.map((r) => r.category);
    label = {
      verdict: overturned ? 'allow' : 'block',
      categories: overturned ? [] : found,
      source: 'review',
    };
  } else if (random() < 0.08) {
    const missed = random() < 0.03;
    label = {
      verdict: missed ? 'block' : 'allow',
      categories: missed ? [topLevel[i % topLevel.length]] : [],
      source: 'qa',
    };
  }
  const margin = () => Math.min(1, Math.abs(random() + random() - 0.85));
  return {
    submissionId: `s${i}`,
    decidedAt: new Date(Date.UTC(2026, 0, 5 + (i % 14), 12)),
    verdict,
    categoryScores: Object.fromEntries(topLevel.map((c) => [c, random() * 0.2])),
    reasons,
    attributes: {
      'perceived-age': { value: age, confidence: 0.8, margin: margin() },
      'perceived-gender-presentation': { value: gender, confidence: 0.8, margin: margin() },
    },
    ...(label ? { label } : {}),
  };
}

async function main(): Promise<void> {
  const decisions = Array.from({ length: 8000 }, (_, i) => oneDecision(i));
  const figures = computeFairness(decisions, subject);
  const meta = {
    title: 'Sample fairness report (constructed data)',
    tenant: 'demo',
    window: { since: new Date('2026-01-05T00:00:00Z'), until: new Date('2026-01-19T00:00:00Z') },
    generatedAt: new Date('2026-01-19T06:00:00Z'),
  };
  mkdirSync(values.out, { recursive: true });
  const html = join(values.out, 'fairness.html');
  writeFileSync(html, await renderFairnessHtml(figures, meta));
  writeFileSync(join(values.out, 'fairness.json'), fairnessJson(figures, meta));
  writeFileSync(join(values.out, 'fairness.csv'), fairnessCsv(figures));
  const browser = await launchChromium();
  try {
    // The top of the report (summary, alerts, the first probe's charts) reads at README size; --full-page for all.
    const page = await browser.newPage({ viewport: { width: 1200, height: 1500 } });
    await page.goto(`file://${html}`);
    mkdirSync(join(values.screenshot, '..'), { recursive: true });
    await page.screenshot({ path: values.screenshot, fullPage: values['full-page'] });
  } finally {
    await browser.close();
  }
  console.log(`${html} (+ .json, .csv); screenshot ${values.screenshot}; ${figures.alerts.length} alerts`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
