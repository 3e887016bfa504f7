import type { Stack } from '@clipguard/testing';
import {
  APPS,
  appDown,
  MACHINE_POSTGRES,
  QueueProbe,
  type WebhookSender,
  acceptedId,
  chaosSuite,
  printReport,
  renderLoad,
  runningApps,
  settle,
  sleep,
  tally,
  terminateAppBackends,
  waitFor,
  type Backend,
} from './support';

/**
 * Fault: every PostgreSQL session the three apps hold is terminated (pg_terminate_backend, SQLSTATE 57P01),
 * several times over a few seconds, under load. No app may exit; a request the database failed gets a 503
 * with a code, never a 202 for something not committed; everything recovers without a restart.
 */
jest.setTimeout(300_000);

const suite = chaosSuite();
const { platform } = suite;
let stack: Stack;
let sender: WebhookSender;
beforeAll(() => ({ stack, sender } = suite.started()));

it('PostgreSQL connections terminated under load: no app exits, 503s with a code, all work decided once', async () => {
  const events = (await renderLoad(240, 2000)).map((png, i) => sender.event('acme', `evt-pgconn-${i}`, png));
  const pids = APPS.map((app) => stack.process(app)?.pid);
  const probe = new QueueProbe(stack.env('REDIS_URL'), stack.env('CLIPGUARD_QUEUE_PREFIX'));
  const sending = sender.deliverAll(events, 12);
  await waitFor(
    async () =>
      events.filter(acceptedId).length >= 40 && (await probe.active('embed')) > 0 ? true : undefined,
    60_000,
    'load in flight',
    20,
  );
  await probe.close();

  // Terminate whatever sessions the apps hold at that moment, every 300 ms for 3 s.
  const terminated: Backend[] = [];
  const faultStart = Date.now();
  for (let round = 0; round < 10; round++) {
    terminated.push(...(await terminateAppBackends(MACHINE_POSTGRES, stack.database, [...APPS])));
    await sleep(300);
  }
  const faultEnd = Date.now();
  // An app that cannot take the fault dies at once: fail here rather than wait for work that cannot finish.
  await sleep(1000);
  expect(runningApps(stack)).toEqual([...APPS]);

  await sending;
  const settled = await settle(stack.db, events, platform, 180_000, 3000, appDown(stack));
  const t = await tally(stack.db, events, platform.counts());
  const attempts = events.flatMap((e) => e.attempts);
  const refused = attempts.filter((a) => a.status !== 202);
  const byApp = Object.fromEntries(APPS.map((app) => [app, terminated.filter((b) => b.app === app).length]));
  printReport(
    'PostgreSQL connections terminated under load (pg_terminate_backend)',
    { acme: t },
    {
      'sessions terminated, by app': JSON.stringify(byApp),
      'fault window': `${faultEnd - faultStart} ms`,
      'answers other than 202': JSON.stringify(countCodes(refused)),
      settled: String(settled),
      logs: stack.dir,
    },
  );

  // The fault happened: each app had sessions in use that were cut.
  for (const app of APPS) expect([app, byApp[app] > 0]).toEqual([app, true]);
  // No app exited or was restarted.
  expect(runningApps(stack)).toEqual([...APPS]);
  expect(APPS.map((app) => stack.process(app)?.pid)).toEqual(pids);
  // A request the database failed is refused with 503 and a code; nothing else goes wrong.
  for (const a of refused) expect([a.status, a.code]).toEqual([503, 'DATABASE_UNAVAILABLE']);
  expect(t).toMatchObject({
    accepted: events.length,
    unaccepted: 0,
    notCommitted: 0,
    split: 0,
    decidedOnce: events.length,
    duplicates: 0,
    failed: 0,
    stranded: 0,
    callbacksMissing: 0,
  });
  // Callbacks are at-least-once: a connection cut after the POST succeeded but before the attempt was
  // recorded sends the same webhook-id again, which the receiver dedupes. Each such re-send needs one of
  // the decision service's sessions to have been cut.
  expect(t.callbacksOnce + t.callbacksDuplicate).toBe(events.length);
  expect(t.callbacksDuplicate).toBeLessThanOrEqual(byApp['decision-service']);
});

function countCodes(attempts: { status: number; code?: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of attempts)
    counts[`${a.status} ${a.code ?? ''}`] = (counts[`${a.status} ${a.code ?? ''}`] ?? 0) + 1;
  return counts;
}
