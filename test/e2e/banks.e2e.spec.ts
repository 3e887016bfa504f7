import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { ConsoleBank, ItemView, SimilarCase } from '@clipguard/contracts';
import {
  ConsoleClient,
  PipelineClient,
  Stack,
  TINY_CLIP_DIR,
  addConsoleUser,
  clipguard,
  eventBody,
  type Callback,
} from '@clipguard/testing';

jest.setTimeout(300_000);

const stack = new Stack();
const client = new PipelineClient(stack);
const lead = new ConsoleClient(stack);
const moderator = new ConsoleClient(stack);
const BLUE_STAR = { shape: 'star', colour: 'blue', size: 'large' } as const;
const RED_CIRCLE = { shape: 'circle', colour: 'red', size: 'large' } as const;

interface Reason {
  kind?: string;
  bank?: string;
  entry?: string;
  distance?: number;
  rule?: string;
  category?: string;
}
interface DecidedData {
  id: string;
  verdict: string;
  reasons: Reason[];
  banks?: { revision: number; checked: { bankId: string; revision: number }[]; policy_verdict: string };
}

/** The REST API with a tenant's key. */
async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  key = 'acme-key',
) {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: (text ? JSON.parse(text) : {}) as T & { code?: string; detail?: string },
  };
}

/** The signed moderation.decided callback the platform received for a submission. */
function decidedCallback(submissionId: string): Promise<DecidedData> {
  return stack.eventually(
    () => {
      const cb = stack.platform.callbacks.find(
        (c: Callback) => c.body.type === 'moderation.decided' && c.body.data.id === submissionId,
      );
      return Promise.resolve(cb?.body.data as DecidedData | undefined);
    },
    60_000,
    `the decided callback of ${submissionId}`,
  );
}

async function submit(event: string, png: Buffer): Promise<string> {
  const sent = await client.send('acme', eventBody(event, png));
  expect(sent.status).toBe(202);
  await client.settled(sent.body.submission_id);
  return sent.body.submission_id;
}

const next = async (c: ConsoleClient) =>
  (await c.request<{ item: ItemView | null }>('POST', '/v1/console/queues/review/next', {})).body.item;

beforeAll(async () => {
  await stack.start();
  for (const [c, email, role] of [
    [lead, 'lead@clipguard.test', 'acme:lead'],
    [moderator, 'mod@clipguard.test', 'acme:moderator'],
  ] as const) {
    const u = await addConsoleUser(stack, email, [role]);
    expect((await c.login(u.email, u.password)).status).toBe(200);
  }
}, 180_000);
afterAll(() => stack.stop(), 60_000);

describe('banks end to end', () => {
  let resolvedSubmission = '';
  let resolvedItem = '';
  let original: Buffer;

  it('creates banks over the API for the key’s tenant only, with typed errors', async () => {
    const created = await api('POST', '/v1/banks', {
      id: 'acme-known-bad',
      title: 'Removed before',
      kind: 'pdq',
      action: 'block',
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      id: 'acme-known-bad',
      tenants: ['acme'],
      threshold: 31,
      entries: 0,
    });
    expect(
      (
        await api('POST', '/v1/banks', {
          id: 'acme-statues',
          title: 'Known statues',
          kind: 'sha256',
          action: 'allow',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api(
          'POST',
          '/v1/banks',
          { id: 'deadend-own', title: 'x', kind: 'pdq', action: 'block' },
          'deadend-key',
        )
      ).status,
    ).toBe(200);

    expect((await api<{ banks: { id: string }[] }>('GET', '/v1/banks')).body.banks.map((b) => b.id)).toEqual([
      'acme-known-bad',
      'acme-statues',
    ]);
    // Another tenant's bank is not found, to read or to change; its id is not free either.
    expect((await api('GET', '/v1/banks/acme-known-bad', undefined, 'deadend-key')).body.code).toBe(
      'BANK_NOT_FOUND',
    );
    const foreign = await api(
      'POST',
      '/v1/banks/acme-known-bad/entries',
      { sha256: 'a'.repeat(64) },
      'deadend-key',
    );
    expect([foreign.status, foreign.body.code]).toEqual([404, 'BANK_NOT_FOUND']);
    const taken = await api(
      'POST',
      '/v1/banks',
      { id: 'acme-statues', title: 'mine', kind: 'sha256', action: 'block' },
      'deadend-key',
    );
    expect([taken.status, taken.body.code]).toEqual([409, 'BANK_ID_TAKEN']);
    const two = await api('POST', '/v1/banks/acme-known-bad/entries', {
      sha256: 'a'.repeat(64),
      embedding: [1],
    });
    expect([two.status, two.body.code]).toEqual([422, 'BODY_INVALID']);
    const wrongKind = await api('POST', '/v1/banks/acme-known-bad/entries', { sha256: 'a'.repeat(64) });
    expect([wrongKind.status, wrongKind.body.code]).toEqual([422, 'BANK_KIND_MISMATCH']);
    const badHash = await api('POST', '/v1/banks/acme-known-bad/entries', { pdq: { hash: 'xyz' } });
    expect([badHash.status, badHash.body.code]).toEqual([422, 'PDQ_HASH_INVALID']);
    const noKey = await fetch(`${stack.apiUrl}/v1/banks`);
    expect(noKey.status).toBe(401);
  });

  it('lists the tenant’s banks to a lead in the console, not to a moderator', async () => {
    const banks = await lead.request<{ banks: ConsoleBank[] }>('GET', '/v1/console/banks');
    expect(banks.body.banks.map((b) => [b.id, b.kind, b.action])).toEqual([
      ['acme-known-bad', 'pdq', 'block'],
      ['acme-statues', 'sha256', 'allow'],
    ]);
    const refused = await moderator.request<{ code: string }>('GET', '/v1/console/banks');
    expect([refused.status, refused.body.code]).toEqual([403, 'ROLE_FORBIDDEN']);
  });

  it('a lead blocks a reviewed image into a bank; its re-encoded, resized copy is then blocked, naming the bank', async () => {
    original = await client.scene(BLUE_STAR, 7001);
    resolvedSubmission = await submit('evt-bank-original', original);
    expect((await client.moderation(resolvedSubmission)).decision?.verdict).toBe('review');
    const item = (await next(lead)) as ItemView;
    expect(item.submission_id).toBe(resolvedSubmission);
    resolvedItem = item.id;
    const resolve = (c: ConsoleClient, body: object) =>
      c.request<{ code?: string }>('POST', `/v1/console/items/${item.id}/resolve`, body);

    expect((await resolve(lead, { verdict: 'allow', labels: [], bank: 'acme-known-bad' })).status).toBe(400);
    expect(
      (await resolve(moderator, { verdict: 'block', labels: [], bank: 'acme-known-bad' })).body.code,
    ).toBe('ROLE_FORBIDDEN');
    expect((await resolve(lead, { verdict: 'block', labels: [], bank: 'deadend-own' })).body.code).toBe(
      'BANK_NOT_FOUND',
    );
    const done = await resolve(lead, {
      verdict: 'block',
      labels: ['star'],
      bank: 'acme-known-bad',
      note: 'known',
    });
    expect(done.status).toBe(200);

    const view = await api<{
      recent_entries: { id: string; source: string; added_by: string; pdq: object }[];
    }>('GET', '/v1/banks/acme-known-bad');
    expect(view.body.recent_entries).toEqual([
      expect.objectContaining({ source: 'review', added_by: 'lead', note: 'known' }),
    ]);
    const entryId = view.body.recent_entries[0].id;

    const meta = await sharp(original).metadata();
    const copy = await sharp(original)
      .resize(Math.round((meta.width ?? 256) * 0.75))
      .jpeg({ quality: 70 })
      .toBuffer();
    const again = await submit('evt-bank-copy', copy);
    const data = await decidedCallback(again);
    expect(data.verdict).toBe('block');
    expect(data.reasons[0]).toMatchObject({
      kind: 'bank',
      bank: 'acme-known-bad',
      entry: entryId,
      rule: 'block-bank-overrides-policy',
    });
    expect(data.reasons[0].distance).toBeLessThanOrEqual(31);
    expect(data.reasons[1]).toMatchObject({ category: 'star' });
    expect(data.banks).toMatchObject({
      policy_verdict: 'review',
      checked: expect.arrayContaining([
        expect.objectContaining({ bankId: 'acme-known-bad', revision: 1 }),
      ]) as object,
    });
    // The bank ended the review: no review item for the copy.
    expect(await next(lead)).toBeNull();
    const metrics = await (await fetch(`http://127.0.0.1:${stack.metricsPorts.worker}/metrics`)).text();
    expect(metrics).toMatch(/clipguard_bank_matches_total\{bank="acme-known-bad",action="block"\} 1\n/);
  });

  it('an allow-bank entry (an image posted to the API) turns a policy block into allow', async () => {
    const png = await client.scene(RED_CIRCLE, 7100);
    const before = await submit('evt-allow-before', png);
    expect((await decidedCallback(before)).verdict).toBe('block');

    const added = await api<{ entry: { id: string; sha256: string }; duplicate: boolean }>(
      'POST',
      '/v1/banks/acme-statues/entries',
      { image_base64: png.toString('base64'), note: 'museum piece' },
    );
    expect(added.status).toBe(201);
    expect(added.body.duplicate).toBe(false);

    const after = await submit('evt-allow-after', png);
    const data = await decidedCallback(after);
    expect(data.verdict).toBe('allow');
    expect(data.reasons[0]).toMatchObject({
      kind: 'bank',
      bank: 'acme-statues',
      entry: added.body.entry.id,
      distance: 0,
      rule: 'allow-bank-overrides-policy',
    });
    expect(data.banks?.policy_verdict).toBe('block');

    // Removed, the entry no longer decides.
    expect((await api('DELETE', `/v1/banks/acme-statues/entries/${added.body.entry.id}`)).status).toBe(204);
    expect((await api('DELETE', `/v1/banks/acme-statues/entries/${added.body.entry.id}`)).body.code).toBe(
      'ENTRY_NOT_FOUND',
    );
    const removed = await submit('evt-allow-removed', png);
    expect((await decidedCallback(removed)).verdict).toBe('block');
  });

  it('shows the human decision nearest to a new item, in the console and from the CLI', async () => {
    const similarPng = await client.scene(BLUE_STAR, 7002);
    const sub = await submit('evt-similar', similarPng);
    expect((await client.moderation(sub)).decision?.verdict).toBe('review');
    const item = (await next(moderator)) as ItemView;
    expect(item.submission_id).toBe(sub);
    const similar = await moderator.request<{ similar: SimilarCase[] }>(
      'GET',
      `/v1/console/items/${item.id}/similar`,
    );
    expect(similar.status).toBe(200);
    expect(similar.body.similar[0]).toMatchObject({
      item_id: resolvedItem,
      submission_id: resolvedSubmission,
      verdict: 'block',
      labels: ['star'],
      resolved_by: 'lead',
      image_url: `/v1/console/items/${resolvedItem}/image`,
    });
    expect(similar.body.similar[0].similarity).toBeGreaterThan(0.5);

    const file = join(mkdtempSync(join(tmpdir(), 'clipguard-similar-')), 'star.png');
    writeFileSync(file, similarPng);
    const cli = await clipguard(
      'similar',
      file,
      '--tenant',
      'acme',
      '--model',
      TINY_CLIP_DIR,
      '--json',
      '--database-url',
      stack.env('DATABASE_URL'),
    );
    expect(cli.code).toBe(0);
    const first = JSON.parse(cli.stdout.split('\n')[0]) as { submission_id: string; similarity: number };
    expect(first.submission_id).toBe(resolvedSubmission);
    expect(first.similarity).toBeCloseTo(similar.body.similar[0].similarity, 3);
  });

  it('puts every bank change in the audit chain, which clipguard audit verify verifies', async () => {
    const rows = await stack.db
      .selectFrom('audit_log')
      .select(['kind', 'ref', 'body'])
      .where('kind', 'in', ['bank', 'bank_entry'])
      .orderBy('seq')
      .execute();
    const summary = rows.map((r) => {
      const b = r.body as { action: string; actor: { name: string } };
      return `${r.kind} ${r.ref.replace(/entry:[0-9a-f-]+/, 'entry')} ${b.action} ${b.actor.name}`;
    });
    expect(summary).toEqual([
      'bank bank:acme-known-bad create api:acme',
      'bank bank:acme-statues create api:acme',
      'bank bank:deadend-own create api:deadend',
      'bank_entry bank:acme-known-bad/entry add lead',
      'bank_entry bank:acme-statues/entry add api:acme',
      'bank_entry bank:acme-statues/entry remove api:acme',
    ]);
    const verify = await clipguard('audit', 'verify', '--database-url', stack.env('DATABASE_URL'));
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
  });
});
