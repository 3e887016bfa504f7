import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signCheckpoint } from '@clipguard/audit';
import { CheckpointStore, loadSigningKey } from './checkpoint-store';

describe('CheckpointStore', () => {
  let dir: string;
  const keys = generateKeyPairSync('ed25519');
  const checkpoint = (seq: string, time = new Date('2026-01-01T00:00:00Z'), k = keys) =>
    signCheckpoint({ seq, hash: seq.padStart(64, '0') }, time, k.privateKey, k.publicKey);

  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'cg-unit-store-')), 'checkpoints');
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('writes a checkpoint and the public key beside it', () => {
    const store = new CheckpointStore(dir);

    expect(store.write(checkpoint('7'), keys.publicKey)).toBe(true);

    expect(store.latest()).toEqual(checkpoint('7'));
    expect(store.publicKeyPem()).toBe(keys.publicKey.export({ type: 'spki', format: 'pem' }));
  });

  it('never overwrites a checkpoint for the same sequence number', () => {
    const store = new CheckpointStore(dir);
    store.write(checkpoint('7'), keys.publicKey);
    const [file] = readdirSync(dir).filter((f) => f.startsWith('checkpoint-'));
    const original = readFileSync(join(dir, file), 'utf8');

    expect(store.write(checkpoint('7', new Date('2026-06-01T00:00:00Z')), keys.publicKey)).toBe(false);

    expect(readFileSync(join(dir, file), 'utf8')).toBe(original);
  });

  it('never replaces the stored public key', () => {
    const store = new CheckpointStore(dir);
    const other = generateKeyPairSync('ed25519');
    store.write(checkpoint('1'), keys.publicKey);

    store.write(checkpoint('2', undefined, other), other.publicKey);

    expect(store.publicKeyPem()).toBe(keys.publicKey.export({ type: 'spki', format: 'pem' }));
  });

  it('lists checkpoints in sequence order, whatever order they were written in, ignoring other files', () => {
    const store = new CheckpointStore(dir);
    for (const seq of ['100', '9', '10']) store.write(checkpoint(seq), keys.publicKey);
    writeFileSync(join(dir, 'notes.txt'), 'not a checkpoint');

    expect(store.list().map((c) => c.checkpoint.seq)).toEqual(['9', '10', '100']);
    expect(store.latest()?.seq).toBe('100');
  });

  it('lists nothing before the directory exists', () => {
    const store = new CheckpointStore(dir);

    expect(store.list()).toEqual([]);
    expect(store.latest()).toBeUndefined();
    expect(store.publicKeyPem()).toBeUndefined();
  });
});

describe('loadSigningKey', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cg-unit-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (pem: string | Buffer) => {
    const file = join(dir, 'key.pem');
    writeFileSync(file, pem);
    return file;
  };

  it('loads an Ed25519 key and its public half', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const loaded = loadSigningKey(write(privateKey.export({ type: 'pkcs8', format: 'pem' })));

    expect(loaded.publicKey.export({ type: 'spki', format: 'pem' })).toBe(
      publicKey.export({ type: 'spki', format: 'pem' }),
    );
  });

  it('refuses a key of another type, saying which', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

    expect(() => loadSigningKey(write(privateKey.export({ type: 'pkcs8', format: 'pem' })))).toThrow(
      /holds a ec key; checkpoints need an Ed25519 key/,
    );
  });
});
