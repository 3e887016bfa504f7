import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from './paths';

/** Debian's Chromium (`.ci/run` installs it when missing). */
export const CHROMIUM = process.env.CLIPGUARD_CHROMIUM ?? '/usr/bin/chromium';
/** Where `npm run build` (build:console) writes the console; the ingest API serves it from there. */
export const CONSOLE_BUILD = join(REPO_ROOT, 'dist/apps/review-console');
export const SCREENSHOT_DIR = join(REPO_ROOT, 'docs/console');

/** Fails with what to do when the console has not been built or Chromium is missing. */
export function assertBrowserPrerequisites(): void {
  if (!existsSync(join(CONSOLE_BUILD, 'index.html')))
    throw new Error(
      `the review console is not built (${CONSOLE_BUILD}/index.html): run npm run build:console`,
    );
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CLIPGUARD_CHROMIUM)`,
    );
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
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
}

export interface AxeFinding {
  id: string;
  impact: string | null;
  nodes: number;
  /** Selectors of the first few elements, to find them. */
  targets: string[];
}

/** axe-core's WCAG 2.x A/AA violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? null,
    nodes: v.nodes.length,
    targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
  }));
}

/** Screenshots for the moderator's guide: written only when CLIPGUARD_SCREENSHOTS=1, so CI leaves the tree clean. */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  if (process.env.CLIPGUARD_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage });
}
