import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TINY_CLIP_DIR, clipguard } from '@clipguard/testing';
import { POLICY_V1, writeEvalSet } from './fixtures';

const work = mkdtempSync(join(tmpdir(), 'clipguard-eval-html-'));
const model = ['--model', TINY_CLIP_DIR, '--cache-dir', join(work, 'cache'), '--resamples', '200'];
let labels: string;

beforeAll(async () => {
  labels = await writeEvalSet(join(work, 'labelled'));
});

describe('the HTML report', () => {
  const out = join(work, 'html');
  let html: string;
  beforeAll(async () => {
    const run = await clipguard(
      'policy',
      'eval',
      '--policy',
      POLICY_V1,
      '--labels',
      labels,
      '--out',
      out,
      '--no-strict',
      ...model,
    );
    expect(run.code).toBe(0);
    html = readFileSync(join(out, 'report.html'), 'utf8');
  });

  const section = (id: string) =>
    html.slice(
      html.indexOf(`<code>${id}</code>`),
      html.indexOf('</section>', html.indexOf(`<code>${id}</code>`)),
    );

  it('is one self-contained file: no scripts, no links, nothing fetched', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|(src|href)=["']?https?:|url\(["']?https?:/);
  });

  it('has provenance and the evaluated count', () => {
    expect(html).toContain('<b>62 of 65</b> labelled images evaluated');
    expect(html).toContain(`<code>clipguard policy eval --policy ${POLICY_V1} --labels ${labels}`);
    expect(html).toMatch(/<b>shapes v1<\/b> <small>sha256:[0-9a-f]{16}/);
    expect(html).toMatch(/gone-1\.png<\/td><td>no such file or directory <small>ENOENT/);
  });

  it('draws a PR curve, score histogram and reliability plot per category, with axes and the thresholds', () => {
    for (const id of ['red', 'star']) {
      const s = section(id);
      expect(s.match(/<svg/g)).toHaveLength(3);
      for (const title of ['recall', 'precision', 'score', 'images', 'mean score in bin', 'share positive']) {
        expect(s).toContain(`>${title}</text>`);
      }
      expect(s).toMatch(/Marked: review now <b>0\.\d+<\/b> · block now <b>0\.\d+<\/b>/);
    }
    // red: review and block, now and advised, as lines on the histogram and points on the PR curve;
    // star has no advised block threshold (precision 0.9 is out of reach).
    expect(section('red').match(/aria-roledescription="rule mark"/g)).toHaveLength(4);
    expect(section('red').match(/aria-roledescription="point"/g)).toHaveLength(4);
    expect(section('star').match(/aria-roledescription="rule mark"/g)).toHaveLength(3);
  });

  it('shows each category\'s mistakes with embedded thumbnails, and "none" for an empty table', () => {
    const star = section('star');
    const thumb = (name: string) =>
      new RegExp(`<img class="thumb" alt="${name}" src="data:image/webp;base64,[A-Za-z0-9+/=]{100,}">`);
    expect(star).toMatch(thumb('mislabelled-blue-star.png'));
    expect(star).toMatch(thumb('mislabelled-green-square.png'));
    expect(section('red').match(/<td class="empty" colspan="5">none<\/td>/g)).toHaveLength(2);
  });

  it('renders in Chromium: every thumbnail decodes, every chart has a size, nothing leaves the machine', async () => {
    const { launchChromium } = await import('@clipguard/testing/browser');
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const fetched: string[] = [];
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (!url.startsWith('file:') && !url.startsWith('data:')) fetched.push(url);
        return url.startsWith('file:') || url.startsWith('data:') ? route.continue() : route.abort();
      });
      await page.goto(`file://${join(out, 'report.html')}`);
      // A string, so the test compiles without the DOM's types.
      const layout = await page.evaluate<{ images: number[]; charts: number[]; overflow: number }>(`({
        images: [...document.images].map((i) => i.naturalWidth),
        charts: [...document.querySelectorAll('svg')].map((s) => s.getBoundingClientRect().width),
        overflow: document.documentElement.scrollWidth - window.innerWidth,
      })`);
      expect(layout.images.length).toBeGreaterThanOrEqual(2);
      expect(layout.images.every((w) => w > 0)).toBe(true);
      expect(layout.charts).toHaveLength(6);
      expect(layout.charts.every((w) => w > 200)).toBe(true);
      expect(layout.overflow).toBeLessThanOrEqual(0);
      const shot = join(out, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      const png = readFileSync(shot);
      expect(png.readUInt32BE(16)).toBe(1200); // IHDR width
      expect(png.readUInt32BE(20)).toBeGreaterThan(2000); // the whole report, not one screen
      expect(fetched).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 90_000);
});
