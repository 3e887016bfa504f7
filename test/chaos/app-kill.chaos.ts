import type { Stack } from '@clipguard/testing';
import {
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
  waitFor,
  type SentEvent,
} from './support';

/**
 * Fault: each app killed with SIGKILL under load, while it holds work, and started again: the worker while
 * it holds active embed jobs, the decision service while it holds decide or callback jobs, the API while
 * requests are in flight. Nothing may be lost and nothing decided twice.
 */
jest.setTimeout(400_000);

const suite = chaosSuite();
const { platform } = suite;
let stack: Stack;
let sender: WebhookSender;
let probe: QueueProbe;
beforeAll(() => {
  ({ stack, sender } = suite.started());
  probe = new QueueProbe(stack.env('REDIS_URL'), stack.env('CLIPGUARD_QUEUE_PREFIX'));
});
afterAll(() => probe?.close());

/** Starts sending a fresh batch; resolves with the events once at least `before` were accepted. */
async function load(prefix: string, seed: number): Promise<{ events: SentEvent[]; sending: Promise<void> }> {
  const events = (await renderLoad(150, seed)).map((png, i) => sender.event('acme', `${prefix}-${i}`, png));
  return { events, sending: sender.deliverAll(events, 8) };
}

const accepted = (events: SentEvent[]) => events.filter(acceptedId).length;

/** Waits for the batch to settle, reports it, and checks what every kill must leave: all of it, once. */
async function finish(
  scenario: string,
  events: SentEvent[],
  killedAt: number,
  facts: Record<string, string | number>,
) {
  const settled = await settle(stack.db, events, platform, 240_000, 0);
  const recoveredIn = `${((Date.now() - killedAt) / 1000).toFixed(1)} s`;
  await sleep(3000);
  const t = await tally(stack.db, events, platform.counts());
  printReport(
    scenario,
    { acme: t },
    {
      ...facts,
      'from the kill until all settled': recoveredIn,
      settled: String(settled),
      logs: stack.dir,
    },
  );
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
  return t;
}

it('the worker killed while it holds active embed jobs: nothing lost, nothing decided twice', async () => {
  const { events, sending } = await load('evt-kill-worker', 5000);
  const held = await waitFor(
    async () => {
      if (accepted(events) < 30) return undefined;
      const active = await probe.active('embed');
      return active > 0 ? active : undefined;
    },
    60_000,
    'the worker to hold embed jobs',
    20,
  );
  const pid = stack.process('clip-worker')?.pid;
  expect(await stack.kill('clip-worker', 'SIGKILL')).toBe('SIGKILL');
  const killedAt = Date.now();
  await stack.spawn('clip-worker', /clip-worker ready/, 'clip-worker-2');
  await sending;
  const t = await finish('clip-worker killed (SIGKILL) under load, restarted', events, killedAt, {
    'worker pid killed': String(pid),
    'embed jobs it held': held,
  });
  expect(held).toBeGreaterThan(0);
  expect(t.callbacksDuplicate).toBe(0);
  expect(runningApps(stack, ['ingest-api', 'clip-worker-2', 'decision-service'])).toHaveLength(3);
});

it('the decision service killed while it holds decide and callback jobs: nothing lost, nothing decided twice', async () => {
  // A callback endpoint that takes 300 ms keeps callback jobs in the decision service's hands.
  platform.set('acme', { kind: 'ok', delayMs: 300 });
  const { events, sending } = await load('evt-kill-decision', 6000);
  const held = await waitFor(
    async () => {
      if (accepted(events) < 30) return undefined;
      const [decide, callback] = [await probe.active('decide'), await probe.active('callback')];
      return callback > 0 ? { decide, callback } : undefined;
    },
    60_000,
    'the decision service to hold callback jobs',
    20,
  );
  const pid = stack.process('decision-service')?.pid;
  expect(await stack.kill('decision-service', 'SIGKILL')).toBe('SIGKILL');
  const killedAt = Date.now();
  await stack.spawn('decision-service', /decision-service ready/, 'decision-service-2');
  await sending;
  const t = await finish('decision-service killed (SIGKILL) under load, restarted', events, killedAt, {
    'decision-service pid killed': String(pid),
    'jobs it held': JSON.stringify(held),
  });
  platform.set('acme', { kind: 'ok' });
  // Callbacks are at-least-once: only a POST in flight at the kill can arrive twice (same webhook-id).
  expect(t.callbacksOnce + t.callbacksDuplicate).toBe(events.length);
  expect(t.callbacksDuplicate).toBeLessThanOrEqual(held.callback);
  expect(runningApps(stack, ['ingest-api', 'clip-worker-2', 'decision-service-2'])).toHaveLength(3);
});

it('the API killed with requests in flight: nothing lost, nothing decided twice', async () => {
  const { events, sending } = await load('evt-kill-api', 7000);
  const inFlight = await waitFor(
    () => (accepted(events) >= 30 && sender.inFlight > 0 ? sender.inFlight : undefined),
    60_000,
    'requests in flight',
    5,
  );
  const pid = stack.process('ingest-api')?.pid;
  expect(await stack.kill('ingest-api', 'SIGKILL')).toBe('SIGKILL');
  const killedAt = Date.now();
  await sleep(1000);
  await stack.spawn('ingest-api', /ingest-api listening/, 'ingest-api-2');
  await sending;
  const cut = events.flatMap((e) => e.attempts).filter((a) => a.status === 0 && a.endedAt >= killedAt);
  const t = await finish('ingest-api killed (SIGKILL) with requests in flight, restarted', events, killedAt, {
    'api pid killed': String(pid),
    'requests in flight at the kill': inFlight,
    'attempts that failed to connect or were cut, then retried': cut.length,
  });
  expect(inFlight).toBeGreaterThan(0);
  expect(cut.length).toBeGreaterThan(0);
  expect(t.callbacksDuplicate).toBe(0);
  expect(runningApps(stack, ['ingest-api-2', 'clip-worker-2', 'decision-service-2'])).toHaveLength(3);
});
