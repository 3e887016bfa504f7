import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointSignatureValid } from '@clipguard/audit';
import { AuditRepository, CheckpointStore } from '@clipguard/storage';
import { mockOf, silentLogger, testEnv } from '@clipguard/testing';
import { CheckpointService } from './checkpoint.service';

describe('CheckpointService', () => {
  let dir: string;
  const keys = generateKeyPairSync('ed25519');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cg-unit-checkpoints-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function newTestService(withKey: boolean) {
    const keyFile = join(dir, 'audit-key.pem');
    writeFileSync(keyFile, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const checkpoints = join(dir, 'checkpoints');
    const env = testEnv({
      CLIPGUARD_AUDIT_CHECKPOINT_DIR: checkpoints,
      ...(withKey ? { CLIPGUARD_AUDIT_KEY_FILE: keyFile } : {}),
    });
    const mocks = { audit: mockOf(AuditRepository) };
    mocks.audit.head.mockResolvedValue({ seq: '3', hash: 'a'.repeat(64) });
    const sut = new CheckpointService(mocks.audit, env, silentLogger());
    return { sut, mocks, store: new CheckpointStore(checkpoints), checkpoints };
  }

  it('writes no checkpoint when no signing key is configured', async () => {
    const { sut, mocks, checkpoints } = newTestService(false);

    sut.onApplicationBootstrap();
    await sut.checkpoint();
    await sut.onApplicationShutdown();

    expect(mocks.audit.head).not.toHaveBeenCalled();
    expect(() => readdirSync(checkpoints)).toThrow(/ENOENT/);
  });

  it('signs each new head once, and nothing while the head is unchanged', async () => {
    const { sut, mocks, store } = newTestService(true);
    sut.onApplicationBootstrap();
    try {
      await sut.checkpoint();
      await sut.checkpoint();
      mocks.audit.head.mockResolvedValue({ seq: '5', hash: 'b'.repeat(64) });
      await sut.checkpoint();
    } finally {
      await sut.onApplicationShutdown();
    }

    const written = store.list().map((c) => c.checkpoint);
    expect(written.map((c) => [c.seq, c.head])).toEqual([
      ['3', 'a'.repeat(64)],
      ['5', 'b'.repeat(64)],
    ]);
    expect(written.every((c) => checkpointSignatureValid(c, keys.publicKey))).toBe(true);
  });

  it('signs the head once more on shutdown', async () => {
    const { sut, mocks, store } = newTestService(true);
    sut.onApplicationBootstrap();
    await sut.checkpoint();
    mocks.audit.head.mockResolvedValue({ seq: '4', hash: 'c'.repeat(64) });

    await sut.onApplicationShutdown();

    expect(store.latest()).toMatchObject({ seq: '4', head: 'c'.repeat(64) });
  });

  it('keeps running when reading the head fails', async () => {
    const { sut, mocks, store } = newTestService(true);
    sut.onApplicationBootstrap();
    mocks.audit.head.mockRejectedValue(new Error('Connection terminated'));

    await expect(sut.checkpoint()).resolves.toBeUndefined();
    mocks.audit.head.mockResolvedValue({ seq: '3', hash: 'a'.repeat(64) });
    await sut.onApplicationShutdown();

    expect(store.list()).toHaveLength(1);
  });
});
