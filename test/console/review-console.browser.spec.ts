import { Webhook } from 'standardwebhooks';
import type { Browser, Page } from 'playwright-core';
import {
  type Callback,
  PipelineClient,
  Stack,
  addConsoleUser,
  eventBody,
  seedDecision,
} from '@clipguard/testing';
import {
  assertBrowserPrerequisites,
  axeViolations,
  launchChromium,
  screenshot,
  type AxeFinding,
} from '../support/browser';

jest.setTimeout(120_000);

// The review console in Debian's Chromium against the real stack (Redis, Postgres, the three apps), as a
// moderator, a second moderator, a moderator of another tenant, a lead and an auditor use it.
const stack = new Stack();
const client = new PipelineClient(stack);
const PASSWORD = 'correct horse battery staple';
const users = {} as Record<
  'mod1' | 'mod2' | 'other' | 'lead' | 'auditor' | 'admin',
  { id: string; email: string }
>;
let browser: Browser;
/** Every axe finding per page, for the report at the end. */
const axe: Record<string, AxeFinding[]> = {};
/** The review items in order of claim, and the submission mod1 blocked. */
const state = { first: '', firstSubmission: '', mod1Holds: '', mod2Skipped: '' };
/** mod1's browser tab, kept open across the tests as a moderator keeps working. */
let mod1: Page;

beforeAll(async () => {
  assertBrowserPrerequisites();
  await stack.start();
  const roles = {
    mod1: 'acme:moderator',
    mod2: 'acme:moderator',
    other: 'deadend:moderator',
    lead: 'acme:lead',
    auditor: 'acme:auditor',
    admin: 'acme:admin',
  } as const;
  for (const [who, role] of Object.entries(roles) as [keyof typeof roles, string][])
    users[who] = await addConsoleUser(stack, `${who}@clipguard.test`, [role], PASSWORD);
  browser = await launchChromium();
  // Three blue stars: the shapes policy sends each to review.
  const subs = [];
  for (let i = 0; i < 3; i++) {
    const png = await client.scene({ shape: 'star', colour: 'blue', size: 'large' }, 500 + i);
    const meta = { metadata: { user_id: `user-${100 + i}`, post_id: `post-${9000 + i}`, labels: ['photo'] } };
    subs.push((await client.send('acme', eventBody(`evt-console-${i}`, png, meta))).body.submission_id);
  }
  for (const s of subs) expect((await client.settled(s)).decision?.verdict).toBe('review');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack.stop();
}, 60_000);

/** A fresh browser (own cookies) signed in through the login form. */
async function signIn(who: keyof typeof users, check?: (page: Page) => Promise<void>): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${stack.apiUrl}/console/`);
  await page.getByLabel('Email').fill(users[who].email);
  await page.getByLabel('Password').fill(PASSWORD);
  await check?.(page);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

// Evaluated in the page (the tests' own TypeScript has no DOM types).
const imageFilter = (page: Page) =>
  page.evaluate<string>("getComputedStyle(document.querySelector('img.item-image')).filter");
const itemIdOf = (page: Page) => new URL(page.url()).pathname.split('/').pop() ?? '';
const serious = (findings: AxeFinding[]) =>
  findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');

function callback(type: string, submission: string): Promise<Callback> {
  return stack.eventually(
    () =>
      Promise.resolve(
        stack.platform.callbacks.find((c) => c.body.type === type && c.body.data.id === submission),
      ),
    30_000,
    `the ${type} callback`,
  );
}

function verifySignature(c: Callback): void {
  expect(() =>
    new Webhook(stack.secrets.callback).verify(JSON.stringify(c.body), c.headers as Record<string, string>),
  ).not.toThrow();
}

async function claimedBy(itemId: string): Promise<string | null> {
  const row = await stack.db
    .selectFrom('reviews')
    .select(['claimed_by', 'submission_id'])
    .where('id', '=', itemId)
    .executeTakeFirstOrThrow();
  return row.claimed_by;
}

describe('review console in Chromium', () => {
  it('a moderator signs in, claims the top item, reveals it, labels and blocks it with the keyboard; the platform gets the signed callback', async () => {
    const page = await signIn('mod1', async (login) => {
      axe.login = await axeViolations(login);
    });
    mod1 = page;
    await page.getByRole('heading', { name: 'Queues' }).waitFor();
    await page.getByText(/^Review: 3 items by priority/).waitFor();
    expect(await page.locator('table.table tbody tr').count()).toBe(3);
    axe.queue = await axeViolations(page);
    await screenshot(page, 'queue');

    await page.getByRole('button', { name: 'Start reviewing: Review' }).click();
    await page.waitForURL(/\/console\/items\/[0-9a-f-]{36}$/);
    state.first = itemIdOf(page);
    expect(await claimedBy(state.first)).toBe(users.mod1.id);
    const image = page.locator('img.item-image');
    await image.waitFor();
    await page.waitForFunction("document.querySelector('img.item-image')?.complete === true");
    expect(await image.getAttribute('data-state')).toBe('blurred');
    expect(await imageFilter(page)).toContain('blur');
    // The image comes from the console's authenticated endpoint, never the platform.
    expect(await image.getAttribute('src')).toBe(`/v1/console/items/${state.first}/image`);
    axe.item = await axeViolations(page);
    await screenshot(page, 'item-blurred');

    // The policy that decided, one click away, exactly as stored.
    await page.getByRole('button', { name: 'shapes v1' }).click();
    const policy = page.getByRole('dialog', { name: 'Policy shapes v1' });
    await policy.locator('pre', { hasText: 'id: shapes' }).waitFor();
    await page.keyboard.press('Escape');
    await policy.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Reveal the image (V)' }).click();
    expect(await image.getAttribute('data-state')).toBe('revealed');
    expect(await imageFilter(page)).not.toContain('blur');
    await screenshot(page, 'item-revealed');

    // Label "Stars" with its number key, then block with B.
    const labels = await page.locator('.label-check').allInnerTexts();
    const star = labels.findIndex((t) => t.includes('Stars'));
    expect(star).toBeGreaterThanOrEqual(0);
    await page.locator('body').press(String(star + 1));
    expect(await page.locator('.label-check input').nth(star).isChecked()).toBe(true);
    await page.locator('body').press('b');
    // Resolving takes the next item of the queue.
    await page.waitForURL(
      (u) => /\/items\/[0-9a-f-]{36}$/.test(u.pathname) && !u.pathname.endsWith(state.first),
    );
    state.mod1Holds = itemIdOf(page);
    await page.locator('img.item-image').waitFor();
    // K walks back to the item just resolved (shown as resolved, no decision form), J forward again.
    await page.locator('body').press('k');
    await page.waitForURL((u) => u.pathname.endsWith(state.first));
    await page.getByText('This item is resolved: block').waitFor();
    expect(await page.getByRole('button', { name: /^Block/ }).count()).toBe(0);
    await page.locator('body').press('j');
    await page.waitForURL((u) => u.pathname.endsWith(state.mod1Holds));
    await page.getByRole('button', { name: /^Block/ }).waitFor();

    const row = await stack.db
      .selectFrom('reviews')
      .select(['submission_id', 'status'])
      .where('id', '=', state.first)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('resolved:block');
    state.firstSubmission = row.submission_id;
    const reviewed = await callback('moderation.reviewed', row.submission_id);
    expect(reviewed.body.data).toMatchObject({
      id: row.submission_id,
      review_id: state.first,
      verdict: 'block',
      labels: ['star'],
    });
    verifySignature(reviewed);
    expect(serious(axe.login)).toEqual([]);
    expect(serious(axe.queue)).toEqual([]);
    expect(serious(axe.item)).toEqual([]);
  });

  it('a second moderator never gets the item the first one holds', async () => {
    expect(await claimedBy(state.mod1Holds)).toBe(users.mod1.id);
    const page = await signIn('mod2');
    await page.getByRole('button', { name: 'Start reviewing: Review' }).click();
    await page.waitForURL(/\/console\/items\/[0-9a-f-]{36}$/);
    const mine = itemIdOf(page);
    expect(mine).not.toBe(state.mod1Holds);
    expect(await claimedBy(mine)).toBe(users.mod2.id);
    const image = page.locator('img.item-image');
    await image.waitFor();

    // Wellness preferences: reveal on hover, a break reminder after every item, grayscale; saved on the
    // server, so they are still there after a reload.
    /** Changes a preference in the form and waits for the server to have saved it. */
    const change = async (act: () => Promise<void>) => {
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/v1/console/me/preferences')),
        act(),
      ]);
      expect([res.status(), await res.text()]).toEqual([200, expect.any(String)]);
    };
    await change(() => page.getByLabel('Reveal on hover').click());
    expect(await page.getByLabel('Reveal on hover').isChecked()).toBe(true);
    expect(await image.getAttribute('data-state')).toBe('blurred');
    await image.hover();
    await page.locator('img.item-image[data-state="revealed"]').waitFor();
    await page.locator('h1').hover();
    await page.locator('img.item-image[data-state="blurred"]').waitFor();
    await change(() => page.getByLabel('Break reminder every').fill('1'));
    await page.getByText('Step away from the screen').waitFor();
    await change(() => page.getByLabel('Grayscale').click());
    await page.locator('img.item-image.grayscale').waitFor();
    await page.reload();
    await page.locator('img.item-image.grayscale').waitFor();
    expect(await page.getByLabel('Reveal on hover').isChecked()).toBe(true);
    const prefs = await stack.db
      .selectFrom('users')
      .select('preferences')
      .where('id', '=', users.mod2.id)
      .executeTakeFirstOrThrow();
    expect(prefs.preferences).toMatchObject({ reveal: 'hover', grayscale: true, break_after: 1 });

    // Skipping releases it; the only other open item is mod1's, so the queue is empty for mod2.
    await page.locator('body').press('s');
    await page.waitForURL(/\/console\/queues\/review$/);
    expect(await claimedBy(mine)).toBeNull();
    state.mod2Skipped = mine;
    expect(await claimedBy(state.mod1Holds)).toBe(users.mod1.id);
    await page.getByRole('button', { name: 'Start reviewing: Review' }).click();
    await page.getByText('Nothing left to claim').waitFor();
  });

  it("a moderator of another tenant gets the not-found page for the tenant's item", async () => {
    const page = await signIn('other');
    await page.goto(`${stack.apiUrl}/console/items/${state.mod1Holds}`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    expect(await page.locator('img.item-image').count()).toBe(0);
  });

  it('a moderator escalates with E and a reason and gets the item another skipped; the lead finds the escalation', async () => {
    await mod1.locator('body').press('e');
    await mod1.getByLabel('Why does a lead need to decide?').fill('A star, but it looks like a logo');
    await mod1.getByRole('button', { name: 'Escalate', exact: true }).click();
    // The next item for mod1 is the one mod2 skipped: skipping gave it back to everyone else.
    await mod1.waitForURL((u) => u.pathname.endsWith(`/items/${state.mod2Skipped}`));
    const row = await stack.db
      .selectFrom('reviews')
      .select(['queue', 'reason', 'claimed_by'])
      .where('id', '=', state.mod1Holds)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ queue: 'escalated', reason: 'A star, but it looks like a logo', claimed_by: null });
  });

  it('a lead decides an appeal in the console and the platform gets the signed appeal_resolved callback', async () => {
    const filed = await fetch(`${stack.apiUrl}/v1/moderations/${state.firstSubmission}/appeals`, {
      method: 'POST',
      headers: { authorization: 'Bearer acme-key', 'content-type': 'application/json' },
      body: JSON.stringify({ statement: 'It is a drawing of a star, not a violation', user_id: 'user-100' }),
    });
    expect(filed.status).toBe(201);
    const { appeal_id } = (await filed.json()) as { appeal_id: string };
    const page = await signIn('lead');
    await page.getByRole('link', { name: 'Escalated', exact: true }).click();
    await page.getByText(/^Escalated: 1 item by priority/).waitFor();
    expect(await page.locator('table.table tbody tr').count()).toBe(1);
    await page.getByRole('link', { name: 'Appeals', exact: true }).click();
    await page.getByRole('button', { name: 'Start reviewing: Appeals' }).click();
    await page.waitForURL(new RegExp(`/console/items/${appeal_id}$`));
    await page.locator('blockquote', { hasText: 'It is a drawing of a star, not a violation' }).waitFor();
    await page.getByRole('button', { name: /Overturn \(allow\)/ }).click();
    const resolved = await callback('moderation.appeal_resolved', state.firstSubmission);
    expect(resolved.body.data).toMatchObject({ appeal_id, decision: 'overturn', verdict: 'allow' });
    verifySignature(resolved);

    await page.getByRole('link', { name: 'Stats' }).click();
    await page.getByRole('heading', { name: 'Items resolved per moderator per day' }).waitFor();
    await page.getByRole('rowheader', { name: 'mod1' }).waitFor();
    await page.getByText('1 of 1 decided').waitFor();
    axe.stats = await axeViolations(page);
    expect(serious(axe.stats)).toEqual([]);
    await screenshot(page, 'stats', true);
  });

  it('an auditor opens the fairness page: rates per group with intervals, the ratio against 0.8, the alert', async () => {
    // Decisions of the last days with the size probe's groups: small shapes flagged five times as often.
    const policy = await stack.db
      .selectFrom('decisions')
      .select(['policy_hash'])
      .where('policy_id', '=', 'shapes')
      .where('policy_version', '=', 1)
      .executeTakeFirstOrThrow();
    const day = 86_400_000;
    for (let i = 0; i < 120; i++) {
      const small = i % 2 === 0;
      const flagged = small ? i % 4 === 0 : i % 20 === 1;
      const verdict = flagged ? (i % 3 === 0 ? 'block' : 'review') : 'allow';
      await seedDecision(stack.db, {
        at: new Date(Date.now() - ((i % 5) + 1) * day + i * 1000).toISOString(),
        policy: { id: 'shapes', version: 1, hash: policy.policy_hash },
        verdict,
        reasons: flagged ? [{ category: 'red', verdict }] : [],
        scores: { red: flagged ? 0.6 : 0.1, star: 0.2 },
        attributes: {
          size: { value: small ? 'small' : 'large', confidence: 0.8, margin: i % 7 === 0 ? 0.01 : 0.4 },
        },
      });
    }
    const page = await signIn('auditor');
    // Read-only: decisions (100 a page, then older ones) and the audit log; no queues.
    expect(await page.getByRole('link', { name: 'Queues' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Decisions' }).click();
    await page.getByText('The newest 100 automatic decisions').waitFor();
    await page.getByRole('button', { name: 'Older decisions' }).click();
    await page.getByText('The newest 123 automatic decisions').waitFor();
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByLabel('Reference (submission, user, …)').fill(state.firstSubmission);
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.locator('td', { hasText: 'appeal_decision' }).first().waitFor();
    await page.getByRole('link', { name: 'Fairness' }).click();
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    expect(await page.getByLabel('Policy version').inputValue()).toBe('shapes@v1');
    const alerts = await page.locator('ul.alerts li').allInnerTexts();
    expect(alerts.some((a) => a.includes('"small" is flagged more than "large"'))).toBe(true);
    await page.getByRole('heading', { name: /Shape size/ }).waitFor();
    await page.getByRole('heading', { name: 'Drift: verdict mix per day' }).waitFor();
    axe.fairness = await axeViolations(page);
    expect(serious(axe.fairness)).toEqual([]);
    await screenshot(page, 'fairness', true);
    console.log(`axe violations by page (any impact): ${JSON.stringify(axe)}`);
  });

  it('an admin adds a user of their tenant and disables them', async () => {
    const page = await signIn('admin');
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Add a user' }).waitFor();
    const form = page.locator('form.create-user');
    await form.getByLabel('Email').fill('newmod@clipguard.test');
    await form.getByLabel('Display name').fill('New Moderator');
    await form.getByLabel('Password').fill('a long enough password');
    await form.getByLabel('Role').selectOption('moderator');
    await form.getByRole('button', { name: 'Add' }).click();
    const row = page.locator('tr', { hasText: 'newmod@clipguard.test' });
    await row.waitFor();
    await row.getByRole('button', { name: 'Disable' }).click();
    await row.getByText('disabled', { exact: true }).waitFor();
    const stored = await stack.db
      .selectFrom('users')
      .innerJoin('memberships', 'memberships.user_id', 'users.id')
      .select(['users.disabled', 'memberships.tenant', 'memberships.role'])
      .where('users.email', '=', 'newmod@clipguard.test')
      .execute();
    expect(stored).toEqual([{ disabled: true, tenant: 'acme', role: 'moderator' }]);
  });
});
