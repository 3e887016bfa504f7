import type { Stack } from '@clipguard/testing';
import {
  APPS,
  type WebhookSender,
  acceptedId,
  chaosSuite,
  printReport,
  renderLoad,
  runningApps,
  settle,
  sleep,
  tally,
  type Attempt,
} from './support';

/**
 * Fault: a tenant goes over its rate limit (20 webhooks a minute), so the API answers 429, and the platform
 * retries the way a Standard Webhooks sender (Svix) does: the same webhook-id, a fresh timestamp and a new
 * signature (made by the `standardwebhooks` package). After the rate window every retry must be processed,
 * no event lost, and a retry of an accepted webhook gets the same submission id.
 */
jest.setTimeout(300_000);

const LIMIT = 20;
const EVENTS = 30;

const minute = (at = Date.now()) => Math.floor(at / 60_000);

const suite = chaosSuite();
const { platform } = suite;
let stack: Stack;
let sender: WebhookSender;
beforeAll(() => ({ stack, sender } = suite.started()));

it('429 then re-signed retries (same webhook-id, new timestamp and signature): every event processed once', async () => {
  const events = (await renderLoad(EVENTS, 3000)).map((png, i) =>
    sender.event('limited', `evt-429-${i}`, png),
  );
  // The burst must fall in one fixed rate window for the 429s to be where the limit says.
  if (60_000 - (Date.now() % 60_000) < 15_000) await sleep(60_000 - (Date.now() % 60_000) + 200);
  const window = minute();
  const first = await Promise.all(events.map((e) => sender.attempt(e)));
  const immediate = await Promise.all(events.filter((e) => !acceptedId(e)).map((e) => sender.attempt(e)));
  expect(minute()).toBe(window);

  // Svix's next retries come later; here, once the rate window has passed.
  await sleep(60_000 - (Date.now() % 60_000) + 500);
  const refused = events.filter((e) => !acceptedId(e));
  const retried = await Promise.all(refused.map((e) => sender.attempt(e)));
  const accepted = events.filter((e) => e.attempts[0].status === 202).slice(0, 5);
  const resent = await Promise.all(accepted.map((e) => sender.attempt(e)));

  const settled = await settle(stack.db, events, platform, 120_000);
  const t = await tally(stack.db, events, platform.counts());
  const statuses = (as: Attempt[]) => as.map((a) => `${a.status} ${a.code ?? ''}`.trim());
  printReport(
    '429 followed by re-signed retries (Standard Webhooks / Svix style)',
    { limited: t },
    {
      'first attempts': JSON.stringify(count(statuses(first))),
      'immediate retries (same window)': JSON.stringify(count(statuses(immediate))),
      'retries after the window': JSON.stringify(count(statuses(retried))),
      're-sends of accepted webhooks': JSON.stringify(count(statuses(resent))),
      settled: String(settled),
      logs: stack.dir,
    },
  );

  // The fault happened: the limit refused what went over it, and retries within the window too.
  expect(statuses(first).sort()).toEqual(
    [...Array<string>(LIMIT).fill('202'), ...Array<string>(EVENTS - LIMIT).fill('429 RATE_LIMITED')].sort(),
  );
  expect(statuses(immediate)).toEqual(Array<string>(EVENTS - LIMIT).fill('429 RATE_LIMITED'));
  // After the window, every retry is processed as a new submission, never refused as a replay.
  expect(retried.map((a) => [a.status, a.duplicate])).toEqual(
    Array.from({ length: EVENTS - LIMIT }, () => [202, false]),
  );
  // A re-signed retry of an accepted webhook gets the same submission id.
  expect(resent.map((a) => [a.status, a.duplicate, a.submissionId])).toEqual(
    accepted.map((e) => [202, true, e.attempts[0].submissionId]),
  );
  expect(runningApps(stack)).toEqual([...APPS]);
  expect(t).toMatchObject({
    events: EVENTS,
    accepted: EVENTS,
    unaccepted: 0,
    notCommitted: 0,
    split: 0,
    decidedOnce: EVENTS,
    duplicates: 0,
    failed: 0,
    stranded: 0,
    callbacksOnce: EVENTS,
    callbacksMissing: 0,
    callbacksDuplicate: 0,
  });
});

function count(xs: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const x of xs) counts[x] = (counts[x] ?? 0) + 1;
  return counts;
}
