import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointSignatureValid } from '@clipguard/audit';
import { createTestDatabase, type TestDatabase } from '@clipguard/testing';
import { AuditRepository } from '../repositories/audit.repository';
import { CheckpointStore } from './checkpoint-store';
import { takeCheckpoint } from './take-checkpoint';

describe('takeCheckpoint (PostgreSQL)', () => {
  let t: TestDatabase;
  let audit: AuditRepository;
  let dir: string;
  const keys = generateKeyPairSync('ed25519');

  beforeAll(async () => {
    t = await createTestDatabase();
    audit = new AuditRepository(t.db);
    dir = mkdtempSync(join(tmpdir(), 'cg-unit-take-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.drop();
  });

  const append = (n: number) => audit.append({ kind: 'decision', ref: `sub-${n}`, body: { n } });

  it('signs nothing for an empty chain', async () => {
    expect(await takeCheckpoint(audit, new CheckpointStore(join(dir, 'empty')), keys)).toBeUndefined();
  });

  it("signs the chain's head, once per new head", async () => {
    const store = new CheckpointStore(join(dir, 'heads'));
    await append(1);
    const hash = await append(2);

    const first = await takeCheckpoint(audit, store, keys, new Date('2026-01-01T00:00:00Z'));
    const unchanged = await takeCheckpoint(audit, store, keys);
    const newHead = await append(3);
    const second = await takeCheckpoint(audit, store, keys);

    expect(first).toMatchObject({ seq: '2', head: hash, time: '2026-01-01T00:00:00.000Z' });
    expect(checkpointSignatureValid(first!, keys.publicKey)).toBe(true);
    expect(unchanged).toBeUndefined();
    expect(second).toMatchObject({ seq: '3', head: newHead });
    expect(store.list().map((c) => c.checkpoint.seq)).toEqual(['2', '3']);
  });

  it('gives back nothing when another instance wrote this head first', async () => {
    const dirOfBoth = join(dir, 'shared');
    await append(4);
    const [a, b] = await Promise.all([
      takeCheckpoint(audit, new CheckpointStore(dirOfBoth), keys),
      takeCheckpoint(audit, new CheckpointStore(dirOfBoth), keys),
    ]);

    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect(new CheckpointStore(dirOfBoth).list()).toHaveLength(1);
  });
});
