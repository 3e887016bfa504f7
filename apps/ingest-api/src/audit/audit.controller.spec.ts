import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signCheckpoint } from '@clipguard/audit';
import { CheckpointStore } from '@clipguard/storage';
import { testEnv } from '@clipguard/testing';
import { AuditController } from './audit.controller';

describe('AuditController', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cg-unit-audit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const controller = () => new AuditController(testEnv({ CLIPGUARD_AUDIT_CHECKPOINT_DIR: dir }));

  it('lists no checkpoints and no key before the first checkpoint, and has no latest', () => {
    expect(controller().list()).toEqual({ public_key: null, checkpoints: [] });
    expect(() => controller().latest()).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }) as Error);
  });

  it('lists the stored checkpoints oldest first with the public key, and serves the latest', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const store = new CheckpointStore(dir);
    const first = signCheckpoint({ seq: '9', hash: 'a'.repeat(64) }, new Date(), privateKey, publicKey);
    const second = signCheckpoint({ seq: '10', hash: 'b'.repeat(64) }, new Date(), privateKey, publicKey);
    store.write(second, publicKey);
    store.write(first, publicKey);

    const listed = controller().list();

    expect(listed.checkpoints).toEqual([first, second]);
    expect(listed.public_key).toBe(publicKey.export({ type: 'spki', format: 'pem' }));
    expect(controller().latest()).toEqual(second);
  });
});
