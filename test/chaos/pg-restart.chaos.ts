import type { Stack } from '@clipguard/testing';
import {
  APPS,
  appDown,
  OwnPostgres,
  QueueProbe,
  type WebhookSender,
  acceptedId,
  appBackends,
  chaosSuite,
  printReport,
  readiness,
  renderLoad,
  runningApps,
  settle,
  sleep,
  tally,
  waitFor,
  type Attempt,
  type SentEvent,
} from './support';

/**
 * Fault: the PostgreSQL server (the suite's own, made with initdb on another port) is stopped for about
 * 10 s under load and started again. The apps must keep running, answer 503 with a code while it is away
 * (never 202: nothing can be committed), and decide all accepted work once afterwards, without a restart.
 */
jest.setTimeout(400_000);

const OUTAGE_MS = 10_000;
const CALLBACK_CONCURRENCY = 16;
const pg = new OwnPostgres();

const suite = chaosSuite({
  servers: [{ up: () => pg.init(), down: () => pg.destroy() }],
  stack: () => ({
    postgresAdminUrl: pg.adminUrl,
    env: { CLIPGUARD_CALLBACK_CONCURRENCY: String(CALLBACK_CONCURRENCY) },
  }),
});
const { platform } = suite;
let stack: Stack;
let sender: WebhookSender;
beforeAll(() => ({ stack, sender } = suite.started()));

it('PostgreSQL stopped for 10 s under load and started again: apps stay up, 503s while away, all work decided once', async () => {
  const images = await renderLoad(260, 4000);
  const events = images.slice(0, 240).map((png, i) => sender.event('acme', `evt-pgstop-${i}`, png));
  const pids = APPS.map((app) => stack.process(app)?.pid);
  const probe = new QueueProbe(stack.env('REDIS_URL'), stack.env('CLIPGUARD_QUEUE_PREFIX'));
  const sending = sender.deliverAll(events, 8);
  await waitFor(
    async () =>
      events.filter(acceptedId).length >= 40 && (await probe.active('embed')) > 0 ? true : undefined,
    60_000,
    'load in flight',
    20,
  );
  await probe.close();
  const sessions = await appBackends(pg.adminUrl, stack.database, [...APPS]);

  await pg.stop();
  const stoppedAt = Date.now();
  const downConfirmed = !(await pg.accepting());
  // While it is away: new events and readiness, once a second.
  const probes: SentEvent[] = [];
  const whileAway: { ready: number }[] = [];
  for (let i = 0; Date.now() - stoppedAt < OUTAGE_MS - 1000; i++) {
    const e = sender.event('acme', `evt-pgstop-probe-${i}`, images[240 + (i % 20)]);
    probes.push(e);
    await sender.attempt(e);
    whileAway.push({ ready: (await readiness(stack.apiUrl)).httpStatus });
    await sleep(1000);
  }
  await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt)));
  const startingAt = Date.now();
  await pg.start();
  expect(runningApps(stack)).toEqual([...APPS]);

  await Promise.all([sending, ...probes.map((e) => sender.deliver(e))]);
  const all = [...events, ...probes];
  const settled = await settle(stack.db, all, platform, 240_000, 3000, appDown(stack));
  const t = await tally(stack.db, all, platform.counts());
  const duringOutage = all
    .flatMap((e) => e.attempts)
    .filter((a) => a.startedAt >= stoppedAt && a.endedAt < startingAt);
  const label = (a: Attempt) => `${a.status} ${a.code ?? ''}`.trim();
  printReport(
    'PostgreSQL (own instance) stopped for 10 s under load, then started',
    { acme: t },
    {
      'app sessions before the stop': JSON.stringify(countBy(sessions.map((s) => s.app))),
      'server refused connections while stopped': String(downConfirmed),
      'answers while stopped': JSON.stringify(countBy(duringOutage.map(label))),
      'readiness while stopped': JSON.stringify(countBy(whileAway.map((w) => String(w.ready)))),
      settled: String(settled),
      logs: stack.dir,
    },
  );

  // The fault happened: every app had sessions on the server, and it refused connections while stopped.
  expect(new Set(sessions.map((s) => s.app))).toEqual(new Set(APPS));
  expect(downConfirmed).toBe(true);
  // While it was away: 503 with a code for every request, never a 202; readiness said not ready.
  expect(duringOutage.length).toBeGreaterThan(0);
  expect(new Set(duringOutage.map(label))).toEqual(new Set(['503 DATABASE_UNAVAILABLE']));
  expect(new Set(whileAway.map((w) => w.ready))).toEqual(new Set([503]));
  // No app exited or was restarted, and all work was decided once afterwards.
  expect(runningApps(stack)).toEqual([...APPS]);
  expect(APPS.map((app) => stack.process(app)?.pid)).toEqual(pids);
  expect(t).toMatchObject({
    accepted: all.length,
    unaccepted: 0,
    notCommitted: 0,
    split: 0,
    decidedOnce: all.length,
    duplicates: 0,
    failed: 0,
    stranded: 0,
    callbacksMissing: 0,
  });
  // At-least-once callbacks: only a POST in flight when the server stopped can be sent again (same id).
  expect(t.callbacksOnce + t.callbacksDuplicate).toBe(all.length);
  expect(t.callbacksDuplicate).toBeLessThanOrEqual(CALLBACK_CONCURRENCY);
});

function countBy(xs: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const x of xs) counts[x] = (counts[x] ?? 0) + 1;
  return counts;
}
