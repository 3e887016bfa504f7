import type { Stack } from '@clipguard/testing';
import {
  APPS,
  type WebhookSender,
  acceptedId,
  apiKey,
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
 * Fault: two tenants' callback endpoints misbehave while a healthy tenant's work flows: `down` answers 503
 * for 10 s, `trickle` answers 200 headers and then one byte every 2 s, never finishing. The healthy tenant's
 * callbacks must keep flowing (not held for the trickling tenant's timeout × attempts), the trickling
 * requests must be cut at the callback timeout (the whole request, not the gap between bytes), one tenant
 * may hold only its share of callback slots, and the bad tenants' callbacks end delivered or dead, visibly.
 */
jest.setTimeout(400_000);

const TIMEOUT_MS = 4000;
const TENANT_SLOTS = 4;

const suite = chaosSuite({
  stack: () => ({
    env: {
      CLIPGUARD_CALLBACK_TIMEOUT_MS: String(TIMEOUT_MS),
      CLIPGUARD_CALLBACK_BACKOFF_MS: '500',
      CLIPGUARD_CALLBACK_HORIZON_MS: '8000',
      CLIPGUARD_CALLBACK_CONCURRENCY: '16',
      CLIPGUARD_CALLBACK_TENANT_CONCURRENCY: String(TENANT_SLOTS),
    },
  }),
});
const { platform } = suite;
let stack: Stack;
let sender: WebhookSender;
beforeAll(() => ({ stack, sender } = suite.started()));

/** The callback's outcome as the tenant sees it through the moderation API. */
async function callbackOf(e: SentEvent) {
  const res = await fetch(`${stack.apiUrl}/v1/moderations/${acceptedId(e)}`, {
    headers: { authorization: `Bearer ${apiKey(e.tenant)}` },
  });
  return ((await res.json()) as { callback: { status: string; attempts: number } | null }).callback;
}

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

it("a down and a trickling callback endpoint: the healthy tenant's callbacks keep flowing, the bad ones end visibly", async () => {
  platform.set('down', { kind: 'down' });
  platform.set('trickle', { kind: 'trickle', everyMs: 2000 });
  const images = await renderLoad(138, 8000);
  const bad = [
    ...images.slice(0, 8).map((png, i) => sender.event('trickle', `evt-trickle-${i}`, png)),
    ...images.slice(8, 18).map((png, i) => sender.event('down', `evt-down-${i}`, png)),
  ];
  await sender.deliverAll(bad, 4);
  const downSince = Date.now();
  // The healthy tenant's load starts once the trickling endpoint holds callback requests open.
  const heldAtStart = await waitFor(
    () => {
      const open = platform.held.filter((h) => h.closedAt === undefined).length;
      return open >= 2 ? open : undefined;
    },
    60_000,
    'trickling requests held open',
  );
  const healthy = images.slice(18).map((png, i) => sender.event('acme', `evt-healthy-${i}`, png));
  const sending = sender.deliverAll(healthy, 4);
  await sleep(Math.max(0, 10_000 - (Date.now() - downSince)));
  platform.set('down', { kind: 'ok' });
  await sending;

  const all = [...bad, ...healthy];
  const settled = await settle(stack.db, all, platform, 300_000);
  const received = platform.counts();
  const of = (tenant: string) => all.filter((e) => e.tenant === tenant);
  const [acme, down, trickle] = await Promise.all(
    ['acme', 'down', 'trickle'].map((tenant) => tally(stack.db, of(tenant), received)),
  );
  const decidedAt = new Map(
    (
      await stack.db
        .selectFrom('decisions')
        .select(['submission_id', 'created_at'])
        .where('shadow', '=', false)
        .where(
          'submission_id',
          'in',
          healthy.map(acceptedId).filter((id): id is string => !!id),
        )
        .execute()
    ).map((d) => [d.submission_id, d.created_at.getTime()]),
  );
  const delays = platform.receipts
    .filter((r) => r.tenant === 'acme' && decidedAt.has(r.submissionId))
    .map((r) => r.at - (decidedAt.get(r.submissionId) ?? r.at));
  const trickleEnd = await Promise.all(of('trickle').map(callbackOf));
  const downEnd = await Promise.all(of('down').map(callbackOf));
  const attempts = Math.max(...trickleEnd.map((c) => c?.attempts ?? 0));
  const heldMs = platform.held.map((h) => (h.closedAt ?? Date.now()) - h.startedAt);
  const fullCycleMs = TIMEOUT_MS * attempts;
  printReport(
    'callback endpoints down (503) and trickling (1 byte / 2 s)',
    { acme, down, trickle },
    {
      'healthy callback delay after decision (ms)': `median ${percentile(delays, 50)}, p95 ${percentile(delays, 95)}, max ${Math.max(...delays)}`,
      "trickling tenant's timeout × attempts": `${TIMEOUT_MS} ms × ${attempts} = ${fullCycleMs} ms`,
      'trickling requests held (ms)': `${heldMs.length} requests, longest ${Math.max(...heldMs)}, still open ${platform.held.filter((h) => h.closedAt === undefined).length}`,
      'trickling requests open at once (max)': platform.maxOpen.get('trickle') ?? 0,
      '503s answered by the down endpoint': platform.refused.get('down') ?? 0,
      'open when the healthy load started': heldAtStart,
      'down tenant outcomes': JSON.stringify(downEnd.map((c) => `${c?.status}/${c?.attempts}`)),
      settled: String(settled),
      logs: stack.dir,
    },
  );

  // The fault happened: the trickling endpoint held requests open and the down one refused.
  expect(platform.held.length).toBeGreaterThanOrEqual(of('trickle').length);
  expect(platform.refused.get('down') ?? 0).toBeGreaterThanOrEqual(of('down').length);
  // Each trickling request was cut by the sender at about the timeout, whatever bytes kept coming.
  expect(platform.held.filter((h) => h.closedAt === undefined)).toEqual([]);
  expect(Math.max(...heldMs)).toBeLessThan(2 * TIMEOUT_MS);
  // One tenant holds at most its share of the callback slots.
  expect(platform.maxOpen.get('trickle')).toBeLessThanOrEqual(TENANT_SLOTS);
  // The healthy tenant's callbacks were all delivered once, none held for the bad tenant's retry cycle.
  expect(acme).toMatchObject({
    accepted: healthy.length,
    decidedOnce: healthy.length,
    callbacksOnce: healthy.length,
    callbacksMissing: 0,
    callbacksDuplicate: 0,
  });
  expect(delays).toHaveLength(healthy.length);
  expect(Math.max(...delays)).toBeLessThan(fullCycleMs / 2);
  // The bad tenants' callbacks were retried and ended visibly: the trickling ones dead after every
  // attempt, the down ones delivered once it came back (or dead), none left pending.
  expect(trickleEnd.map((c) => c?.status)).toEqual(of('trickle').map(() => 'dead'));
  expect(attempts).toBeGreaterThan(1);
  expect(trickle).toMatchObject({ decidedOnce: 8, callbacksDead: 8, callbacksMissing: 8 });
  for (const c of downEnd) expect(['delivered', 'dead']).toContain(c?.status);
  expect(downEnd.every((c) => (c?.attempts ?? 0) > 1)).toBe(true);
  expect(down.callbacksOnce + down.callbacksDead).toBe(of('down').length);
  expect(down.callbacksDuplicate).toBe(0);
  expect(runningApps(stack)).toEqual([...APPS]);
});
