import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pdqHashImage, pdqToHex } from '@clipguard/banks';
import { BankRepository } from '@clipguard/storage';
import {
  SHARED_IMAGES,
  TINY_CLIP_DIR,
  clipguard,
  createTestDatabase,
  type TestDatabase,
} from '@clipguard/testing';

jest.setTimeout(120_000);

const A = 'acecf3355e3125c8e24e2f30e0d4ec4f8482b878b3c34cdbdf063278db275992';
const B = '8fb70f36e1c4181e82fde7d0f80138430e1e31f07b628e31ccbb687e87e1f307';
const dir = mkdtempSync(join(tmpdir(), 'clipguard-bank-'));

describe('clipguard bank and similar (PostgreSQL)', () => {
  let t: TestDatabase;
  let url: string;
  const run = (...argv: string[]) => clipguard(...argv, '--database-url', url);

  beforeAll(async () => {
    t = await createTestDatabase();
    url = `postgres://postgres@127.0.0.1:5432/${t.name}`;
  });
  afterAll(() => t.drop());

  it('creates banks, lists them, and refuses a bad definition with its reason', async () => {
    expect(
      (
        await run(
          'bank',
          'create',
          'shared-pdq',
          '--title',
          'Shared list',
          '--kind',
          'pdq',
          '--action',
          'block',
          '--tenant',
          '*',
        )
      ).code,
    ).toBe(0);
    const bad = await run(
      'bank',
      'create',
      'far',
      '--title',
      'x',
      '--kind',
      'pdq',
      '--action',
      'block',
      '--tenant',
      'acme',
      '--threshold',
      '31.5',
    );
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/OPTION_INVALID.*threshold: a PDQ threshold is a whole number/);
    const list = await run('bank', 'list', '--json');
    expect(
      list.stdout
        .split('\n')
        .map((l) => JSON.parse(l) as { id: string; threshold: number; tenants: string[] }),
    ).toEqual([expect.objectContaining({ id: 'shared-pdq', threshold: 31, tenants: ['*'] })]);
  });

  it('imports a ThreatExchange export: skips bad and low-quality lines (exit 2), adds each hash once', async () => {
    const file = join(dir, 'te.csv');
    writeFileSync(
      file,
      [
        `${A},2880742865368386,2020-07-31T18:47:52+0000,media_type_photo`,
        `${B},12,2020-07-31T18:47:52+0000,media_type_photo`,
        'nothex,1,2020-07-31T18:47:52+0000,media_type_photo',
        `${A},2880742865368386,2020-07-31T18:47:52+0000,media_type_photo`,
      ].join('\n'),
    );
    const first = await run('bank', 'import', '--bank', 'shared-pdq', file, '--note', 'TE sample');
    expect(first.code).toBe(2);
    expect(JSON.parse(first.stdout)).toEqual({ bank: 'shared-pdq', added: 1, duplicates: 1, skipped: 2 });
    expect(first.stderr).toContain(`${file}:2: PDQ hash of quality 12 is below 50`);
    expect(first.stderr).toContain(`${file}:3: "nothex" is not a PDQ hash`);
    const again = await run('bank', 'import', '--bank', 'shared-pdq', file);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, duplicates: 2 });
    const [entry] = await new BankRepository(t.db).listEntries('shared-pdq');
    expect(entry).toMatchObject({
      source: 'import',
      note: 'TE sample (id 2880742865368386)',
      addedBy: 'clipguard-cli',
    });
    expect(entry.value.kind === 'pdq' && pdqToHex(entry.value.hash)).toBe(A);
  });

  it('adds images as PDQ hashes, reports unreadable ones, and removes entries', async () => {
    const image = join(SHARED_IMAGES, 'chelsea.png');
    const missing = join(dir, 'missing.png');
    const added = await run('bank', 'add', '--bank', 'shared-pdq', image, missing);
    expect(added.code).toBe(2);
    expect(added.stderr).toContain(`${missing}: no such file or directory`);
    const { entry, value } = JSON.parse(added.stdout) as { entry: string; value: string };
    const expected = await pdqHashImage(readFileSync(image));
    expect(value).toBe(`pdq ${pdqToHex(expected.hash)} quality ${expected.quality}`);

    expect((await run('bank', 'remove', '--bank', 'shared-pdq', entry)).code).toBe(0);
    const twice = await run('bank', 'remove', '--bank', 'shared-pdq', entry);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(`${entry}: no such entry in bank shared-pdq`);
    expect((await run('bank', 'remove', '--bank', 'nope', entry)).stderr).toContain(
      'error[BANK_NOT_FOUND]: no bank nope',
    );
  });

  it('adds an image to an embedding bank with the model’s own embedding', async () => {
    const create = await run(
      'bank',
      'create',
      'statues',
      '--title',
      'Known statues',
      '--kind',
      'embedding',
      '--action',
      'allow',
      '--tenant',
      'acme',
      '--threshold',
      '0.97',
      '--model',
      TINY_CLIP_DIR,
    );
    expect(create.code).toBe(0);
    const modelId = (JSON.parse(create.stdout) as { modelId: string }).modelId;
    const added = await run(
      'bank',
      'add',
      '--bank',
      'statues',
      join(SHARED_IMAGES, 'horse.png'),
      '--model',
      TINY_CLIP_DIR,
    );
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({
      value: expect.stringMatching(new RegExp(`^embedding of ${modelId} \\(\\d+ dimensions\\)$`)) as string,
    });
  });

  it('records every change in the audit chain that audit verify checks', async () => {
    const rows = await t.db
      .selectFrom('audit_log')
      .select(['kind'])
      .where('kind', 'in', ['bank', 'bank_entry'])
      .execute();
    // 2 banks created; 1 hash imported; 1 image added and removed; 1 embedding added.
    expect(rows.map((r) => r.kind).sort()).toEqual([
      'bank',
      'bank',
      'bank_entry',
      'bank_entry',
      'bank_entry',
      'bank_entry',
    ]);
    const verify = await run('audit', 'verify');
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toEqual({ ok: true, entries: 6 });
  });

  it('shows examples and exit codes in --help', async () => {
    for (const command of ['bank list', 'bank create', 'bank add', 'bank import', 'bank remove', 'similar']) {
      const { code, stdout } = await clipguard(...command.split(' '), '--help');
      expect(code).toBe(0);
      expect(stdout).toMatch(/\nExamples:\n {2}\$ clipguard /);
      expect(stdout).toMatch(/\nExit codes:\n {2}0 {2}/);
    }
  });
});
