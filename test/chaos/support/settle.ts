import type { Kysely } from 'kysely';
import type { Database } from '@clipguard/storage';
import type { CallbackPlatform } from './callback-platform';
import { acceptedId, type SentEvent } from './sender';
import { sleep } from './wait';

async function unsettled(db: Kysely<Database>, ids: string[], received: Set<string>): Promise<number> {
  if (ids.length === 0) return 0;
  const open = await db
    .selectFrom('submissions')
    .select('id')
    .where('id', 'in', ids)
    .where('status', 'not in', ['decided', 'failed'])
    .execute();
  const pending = await db
    .selectFrom('callback_deliveries')
    .select('id')
    .where('submission_id', 'in', ids)
    .where('status', '=', 'pending')
    .execute();
  // A delivery counts as settled once the platform has it, even before the decision service records it.
  return open.length + pending.filter((d) => !received.has(d.id)).length;
}

/**
 * Waits (bounded) until every accepted submission is decided or failed and every callback is delivered,
 * dead or received, then a quiet period in which late duplicates would show. Returns whether it settled;
 * a scenario reports its tally either way, so a failure says what was left.
 */
export async function settle(
  db: Kysely<Database>,
  events: SentEvent[],
  platform: CallbackPlatform,
  timeoutMs: number,
  quietMs = 3000,
  /** Stops waiting early when this says nothing will change any more (e.g. an app has exited). */
  hopeless: () => boolean = () => false,
): Promise<boolean> {
  const ids = [...new Set(events.map(acceptedId).filter((id): id is string => id !== undefined))];
  const deadline = Date.now() + timeoutMs;
  while ((await unsettled(db, ids, new Set(platform.counts().keys()))) > 0) {
    if (Date.now() > deadline || hopeless()) return false;
    await sleep(250);
  }
  await sleep(quietMs);
  return true;
}
