import { sql } from 'kysely';
import type { Stack } from '@clipguard/testing';
import {
  APPS,
  appDown,
  OwnRedis,
  QueueProbe,
  type WebhookSender,
  acceptedId,
  chaosSuite,
  printReport,
  readiness,
  renderLoad,
  runningApps,
  settle,
  sleep,
  tally,
  waitFor,
  type ReadinessView,
} from './support';

/**
 * Fault: the apps' Redis is killed (SIGKILL) while the worker holds jobs, and started again empty (no
 * persistence). Postgres is the record: the reconciler must re-drive every unfinished submission and
 * pending callback whose job Redis lost, and readiness must show the unfinished work while it does.
 */
jest.setTimeout(300_000);

const OPERATOR_TOKEN = 'chaos-operator-token-0001';
const redis = new OwnRedis();

const suite = chaosSuite({
  servers: [{ up: () => redis.start(), down: () => redis.stop() }],
  stack: () => ({ redisUrl: redis.url, env: { CLIPGUARD_METRICS_TOKEN: OPERATOR_TOKEN } }),
});
const { platform } = suite;
let stack: Stack;
let sender: WebhookSender;
beforeAll(() => ({ stack, sender } = suite.started()));

it('Redis killed under load and restarted empty: every accepted submission decided once, every callback once, nothing stranded', async () => {
  const events = (await renderLoad(300, 1000)).map((png, i) => sender.event('acme', `evt-redis-${i}`, png));
  const probe = new QueueProbe(redis.url, stack.env('CLIPGUARD_QUEUE_PREFIX'));
  const sending = sender.deliverAll(events, 8);

  // The fault only counts if it hits work: the worker must hold embed jobs when Redis dies, with a
  // good part of the load already accepted and the rest still to come.
  const activeAtKill = await waitFor(
    async () => {
      if (events.filter(acceptedId).length < 60) return undefined;
      const active = await probe.active('embed');
      return active > 0 ? active : undefined;
    },
    60_000,
    'the worker to hold embed jobs',
    20,
  );
  await probe.close();
  await redis.set('chaos:sentinel', 'written before the kill');
  const killedPid = await redis.kill();
  const killedAt = Date.now();
  await sleep(2000);
  await redis.start();
  const restartedAt = Date.now();
  // An app that cannot take the fault dies at once: fail here rather than wait for work that cannot finish.
  await sleep(1000);
  expect(runningApps(stack)).toEqual([...APPS]);
  const sentinelAfter = await redis.get('chaos:sentinel');

  // While it recovers, an operator sees the unfinished work and its age (with the token; without, only the status).
  const views: ReadinessView[] = [];
  const anonymous = await readiness(stack.apiUrl);
  const watching = (async () => {
    while (views.length < 400) {
      const view = await readiness(stack.apiUrl, OPERATOR_TOKEN);
      views.push(view);
      if ((view.checks?.unfinished?.count ?? 1) === 0) return;
      await sleep(250);
    }
  })();

  await sending;
  const settled = await settle(stack.db, events, platform, 180_000, 3000, appDown(stack));
  await watching;
  const t = await tally(stack.db, events, platform.counts());
  const redrives = await stack.db
    .selectFrom('submissions')
    .select(sql<string>`coalesce(sum(redrives), 0)`.as('n'))
    .executeTakeFirstOrThrow();
  const recovering = views.find((v) => (v.checks?.unfinished?.count ?? 0) > 0);
  printReport(
    'Redis killed under load and restarted empty',
    { acme: t },
    {
      'redis pid killed (SIGKILL)': killedPid,
      'embed jobs active at the kill': activeAtKill,
      'sentinel key after restart': String(sentinelAfter),
      '202s answered while Redis was away': events
        .flatMap((e) => e.attempts)
        .filter((a) => a.status === 202 && a.startedAt > killedAt && a.startedAt < restartedAt).length,
      're-drives recorded in Postgres': redrives.n,
      'readiness while recovering': recovering
        ? `${recovering.httpStatus}, ${recovering.checks?.unfinished?.count} unfinished, oldest ${recovering.checks?.unfinished?.oldestSeconds?.toFixed(1)} s`
        : 'never showed unfinished work',
      settled: String(settled),
      logs: stack.dir,
    },
  );

  // The fault happened: Redis held work and came back without it, and jobs had to be re-driven from Postgres.
  expect(activeAtKill).toBeGreaterThan(0);
  expect(sentinelAfter).toBeNull();
  expect(Number(redrives.n)).toBeGreaterThan(0);
  // Readiness showed the unfinished work and its age to the operator, and only to the operator.
  expect(recovering?.checks?.unfinished?.oldestSeconds).toBeGreaterThan(0);
  expect(anonymous.checks).toBeUndefined();
  // Nothing lost, nothing twice.
  expect(runningApps(stack)).toEqual([...APPS]);
  expect(t).toMatchObject({
    accepted: events.length,
    unaccepted: 0,
    notCommitted: 0,
    split: 0,
    decidedOnce: events.length,
    duplicates: 0,
    failed: 0,
    stranded: 0,
    callbacksOnce: events.length,
    callbacksMissing: 0,
    callbacksDuplicate: 0,
    callbacksDead: 0,
  });
});
