import { sql } from 'kysely';
import { AuditRepository } from '@clipguard/storage';
import { PipelineClient, Stack, eventBody } from '@clipguard/testing';

jest.setTimeout(240_000);

const stack = new Stack();
const client = new PipelineClient(stack);

beforeAll(() => stack.start(), 120_000);
afterAll(() => stack.stop(), 60_000);

describe('a burst of submissions', () => {
  it('decides every one exactly once, loses none, and leaves an audit chain that verifies', async () => {
    const N = 1000;
    const colours = ['red', 'green', 'blue', 'yellow'] as const;
    const shapes = ['circle', 'square', 'star', 'heart'] as const;
    const ids: string[] = [];
    for (let i = 0; i < N; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, N - i) }, async (_, k) => {
          const j = i + k;
          const png = await client.scene(
            { shape: shapes[j % 4], colour: colours[(j >> 2) % 4], size: 'large' },
            100 + (j % 40),
          );
          return client.send('acme', eventBody(`evt-burst-${j}`, png));
        }),
      );
      ids.push(...batch.map((b) => b.body.submission_id));
    }
    expect(new Set(ids).size).toBe(N);
    await client.allDecided(ids, `${N} decisions`);
    const live = await client.liveDecisions(ids);
    expect(live).toHaveLength(N);
    expect(new Set(live).size).toBe(N);
    const audit = new AuditRepository(stack.db);
    const check = await audit.verify();
    expect(check).toEqual({ ok: true, entries: expect.any(Number) as number });
    expect(check.entries).toBeGreaterThanOrEqual(2 * N);
    // The check really walks the chain: one edited entry in the middle is found.
    const middle = await stack.db
      .selectFrom('audit_log')
      .select('seq')
      .orderBy('seq')
      .offset(N)
      .limit(1)
      .executeTakeFirstOrThrow();
    await sql`update audit_log set ref = 'edited' where seq = ${middle.seq}`.execute(stack.db);
    expect(await audit.verify(100)).toMatchObject({ ok: false, broken: { seq: String(middle.seq) } });
  });
});
