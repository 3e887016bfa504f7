import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { decodeFloats } from '@clipguard/contracts';
import { type Callback, PipelineClient, Stack, addConsoleUser, eventBody } from '@clipguard/testing';
import {
  assertBrowserPrerequisites,
  axeViolations,
  launchChromium,
  screenshot,
  type AxeFinding,
} from '../support/browser';

jest.setTimeout(120_000);

// Banks and similar past cases in the review console, in Debian's Chromium against the real stack: a lead
// blocks an item into a bank (a moderator is not offered that), the bank then blocks a near copy, and a
// later item shows the human decisions nearest to it, each a click away.
const stack = new Stack();
const client = new PipelineClient(stack);
const PASSWORD = 'correct horse battery staple';
const BLUE_STAR = { shape: 'star', colour: 'blue', size: 'large' } as const;
const BANK = { id: 'acme-known-bad', title: 'Removed before' };
const users = {} as Record<'mod' | 'lead', { id: string; email: string }>;
let browser: Browser;
/** The two starred images sent before the bank had entries, by submission id. */
const images = new Map<string, Buffer>();
/** What the moderator allowed and the lead blocked into the bank. */
const decided = { allowedItem: '', blockedItem: '', blockedSubmission: '' };

interface Reason {
  kind?: string;
  bank?: string;
  rule?: string;
}

beforeAll(async () => {
  assertBrowserPrerequisites();
  await stack.start();
  users.mod = await addConsoleUser(stack, 'mod@clipguard.test', ['acme:moderator'], PASSWORD);
  users.lead = await addConsoleUser(stack, 'lead@clipguard.test', ['acme:lead'], PASSWORD);
  browser = await launchChromium();
  const created = await fetch(`${stack.apiUrl}/v1/banks`, {
    method: 'POST',
    headers: { authorization: 'Bearer acme-key', 'content-type': 'application/json' },
    body: JSON.stringify({ ...BANK, kind: 'pdq', action: 'block' }),
  });
  expect(created.status).toBe(200);
  for (const seed of [7001, 7003]) {
    const png = await client.scene(BLUE_STAR, seed);
    const sent = await client.send('acme', eventBody(`evt-star-${seed}`, png));
    expect(sent.status).toBe(202);
    images.set(sent.body.submission_id, png);
  }
  for (const s of images.keys()) expect((await client.settled(s)).decision?.verdict).toBe('review');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack.stop();
}, 60_000);

async function signIn(who: keyof typeof users): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${stack.apiUrl}/console/`);
  await page.getByLabel('Email').fill(users[who].email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

/** Claims the top item of the review queue in the page; its id. */
async function startReviewing(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Start reviewing: Review' }).click();
  await page.waitForURL(/\/console\/items\/[0-9a-f-]{36}$/);
  await page.locator('img.item-image').waitFor();
  return new URL(page.url()).pathname.split('/').pop() ?? '';
}

async function submissionOf(itemId: string): Promise<string> {
  const row = await stack.db
    .selectFrom('reviews')
    .select('submission_id')
    .where('id', '=', itemId)
    .executeTakeFirstOrThrow();
  return row.submission_id;
}

/** Cosine similarity of two submissions' stored first-frame CLIP embeddings, computed here. */
async function cosine(a: string, b: string): Promise<number> {
  const vector = async (submission: string) => {
    const row = await stack.db
      .selectFrom('submissions as s')
      .innerJoin('embeddings as e', 'e.content_sha256', 's.content_sha256')
      .select(['e.frames', 'e.vectors'])
      .where('s.id', '=', submission)
      .executeTakeFirstOrThrow();
    const all = decodeFloats(row.vectors);
    return all.slice(0, all.length / row.frames);
  };
  const [x, y] = [await vector(a), await vector(b)];
  let dot = 0;
  let nx = 0;
  let ny = 0;
  for (let i = 0; i < x.length; i++) {
    dot += x[i] * y[i];
    nx += x[i] * x[i];
    ny += y[i] * y[i];
  }
  return dot / Math.sqrt(nx * ny);
}

const serious = (findings: AxeFinding[]) =>
  findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');

describe('banks and similar past cases in the console', () => {
  it('a moderator is not offered the bank choice and allows the first item', async () => {
    const page = await signIn('mod');
    decided.allowedItem = await startReviewing(page);
    await page.getByRole('button', { name: /^Allow/ }).waitFor();
    expect(await page.getByLabel('Block and add to bank').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Block and add' }).count()).toBe(0);
    await page.getByRole('button', { name: /^Allow/ }).click();
    // Resolving claimed the other star for the moderator: skipping hands it back for the lead.
    await page.waitForURL((u) => !u.pathname.endsWith(decided.allowedItem));
    await page.getByRole('button', { name: /^Skip/ }).click();
    await page.waitForURL(/\/console\/queues\/review$/);
    const row = await stack.db
      .selectFrom('reviews')
      .select('status')
      .where('id', '=', decided.allowedItem)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('resolved:allow');
    await page.context().close();
  });

  it('a lead blocks the other item into a block bank; a re-encoded, resized copy is then blocked by the bank', async () => {
    const page = await signIn('lead');
    decided.blockedItem = await startReviewing(page);
    decided.blockedSubmission = await submissionOf(decided.blockedItem);
    const choice = page.getByLabel('Block and add to bank');
    await choice.waitFor();
    expect(await choice.locator('option').allInnerTexts()).toEqual([
      'choose a bank…',
      `${BANK.title} (pdq, 0 entries)`,
    ]);
    const add = page.getByRole('button', { name: 'Block and add' });
    expect(await add.isDisabled()).toBe(true);
    await page.locator('.label-check', { hasText: 'Stars' }).locator('input').check();
    await choice.selectOption(BANK.id);
    await add.click();
    await page.waitForURL((u) => !u.pathname.endsWith(decided.blockedItem));

    const review = await stack.db
      .selectFrom('reviews')
      .select(['status', 'labels'])
      .where('id', '=', decided.blockedItem)
      .executeTakeFirstOrThrow();
    expect(review).toEqual({ status: 'resolved:block', labels: ['star'] });
    const entries = await stack.db.selectFrom('bank_entries').select(['bank_id', 'source']).execute();
    expect(entries).toEqual([{ bank_id: BANK.id, source: 'review' }]);

    const original = images.get(decided.blockedSubmission) as Buffer;
    const meta = await sharp(original).metadata();
    const copy = await sharp(original)
      .resize(Math.round((meta.width ?? 256) * 0.75))
      .jpeg({ quality: 70 })
      .toBuffer();
    const sent = await client.send('acme', eventBody('evt-star-copy', copy));
    expect(sent.status).toBe(202);
    const data = await stack.eventually(
      () =>
        Promise.resolve(
          stack.platform.callbacks.find(
            (c: Callback) =>
              c.body.type === 'moderation.decided' && c.body.data.id === sent.body.submission_id,
          )?.body.data as { verdict: string; reasons: Reason[] } | undefined,
        ),
      60_000,
      'the decided callback of the copy',
    );
    expect(data.verdict).toBe('block');
    expect(data.reasons[0]).toMatchObject({
      kind: 'bank',
      bank: BANK.id,
      rule: 'block-bank-overrides-policy',
    });
    await page.context().close();
  });

  it('a later similar item shows the human decisions nearest to it, most similar first, each a click away', async () => {
    const png = await client.scene(BLUE_STAR, 7002);
    const sent = await client.send('acme', eventBody('evt-star-later', png));
    const later = sent.body.submission_id;
    expect((await client.settled(later)).decision?.verdict).toBe('review');

    // The expected order and figures, from the stored embeddings.
    const expected = [
      { item: decided.allowedItem, verdict: 'allow', labels: 'no labels' },
      { item: decided.blockedItem, verdict: 'block', labels: 'star' },
    ];
    const similarity = new Map<string, number>();
    for (const e of expected) similarity.set(e.item, await cosine(later, await submissionOf(e.item)));
    expected.sort((a, b) => (similarity.get(b.item) ?? 0) - (similarity.get(a.item) ?? 0));

    // The lead sees the panel beside the bank choice (the guide's screenshot).
    const leadPage = await signIn('lead');
    const laterItem = await startReviewing(leadPage);
    expect(await submissionOf(laterItem)).toBe(later);
    await leadPage.getByRole('heading', { name: 'Similar past cases' }).waitFor();
    await leadPage.getByLabel('Block and add to bank').waitFor();
    await leadPage.waitForFunction("[...document.querySelectorAll('img.thumb')].every((i) => i.complete)");
    await screenshot(leadPage, 'item-similar', true);
    // Handing the item back, so the moderator claims it.
    await leadPage.getByRole('button', { name: 'Release claim' }).click();
    await stack.eventually(
      async () => {
        const row = await stack.db
          .selectFrom('reviews')
          .select('claimed_by')
          .where('id', '=', laterItem)
          .executeTakeFirstOrThrow();
        return row.claimed_by === null ? true : undefined;
      },
      10_000,
      'the released claim',
    );
    await leadPage.context().close();

    const page = await signIn('mod');
    expect(await startReviewing(page)).toBe(laterItem);
    const panel = page.getByRole('region', { name: 'Similar past cases' });
    await panel.waitFor();
    const rows = panel.locator('li');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    expect(await page.getByLabel('Block and add to bank').count()).toBe(0);
    for (const [i, e] of expected.entries()) {
      const text = await rows.nth(i).innerText();
      expect(text).toContain(e.verdict);
      expect(text).toContain(e.labels);
      expect(text).toContain(`similarity ${(similarity.get(e.item) ?? 0).toFixed(3)}`);
      expect(await rows.nth(i).getByRole('link').getAttribute('href')).toBe(`/console/items/${e.item}`);
    }
    const axe = await axeViolations(page);
    console.log(`axe violations on the item page with similar cases (any impact): ${JSON.stringify(axe)}`);
    expect(serious(axe)).toEqual([]);

    // One click opens the most similar case: read-only, with the human decision and its image.
    await rows.nth(0).getByRole('link').click();
    await page.waitForURL((u) => u.pathname.endsWith(`/items/${expected[0].item}`));
    const human = page.getByRole('region', { name: 'Human decision' });
    await human.waitFor();
    const decision = await human.innerText();
    expect(decision).toContain(expected[0].verdict);
    expect(decision).toContain(`by ${expected[0].verdict === 'block' ? 'lead' : 'mod'} ·`);
    expect(decision).toContain(expected[0].labels === 'no labels' ? 'none' : expected[0].labels);
    expect(await page.getByRole('button', { name: /^Allow/ }).count()).toBe(0);
    await page.waitForFunction("document.querySelector('img.item-image')?.complete === true");
    expect(
      await page.evaluate<number>("document.querySelector('img.item-image').naturalWidth"),
    ).toBeGreaterThan(0);
  });
});
