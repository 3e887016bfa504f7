import { generateKeyPairSync } from 'node:crypto';
import { checkCheckpoint, checkpointSignatureValid, signCheckpoint } from './checkpoint';

const keys = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const head = { seq: '42', hash: 'a'.repeat(64) };
const cp = signCheckpoint(head, new Date('2026-11-28T00:00:00Z'), keys.privateKey, keys.publicKey);

describe('audit checkpoints', () => {
  it('verifies with the signing key only', () => {
    expect(checkpointSignatureValid(cp, keys.publicKey)).toBe(true);
    expect(checkpointSignatureValid(cp, other.publicKey)).toBe(false);
  });

  it('detects an edited checkpoint', () => {
    expect(checkpointSignatureValid({ ...cp, seq: '41' }, keys.publicKey)).toBe(false);
    expect(checkpointSignatureValid({ ...cp, head: 'b'.repeat(64) }, keys.publicKey)).toBe(false);
    expect(checkpointSignatureValid({ ...cp, time: '2026-11-29T00:00:00.000Z' }, keys.publicKey)).toBe(false);
  });

  it('names its key and signs the head it was given at the time it was given', () => {
    expect(cp).toMatchObject({ v: 1, seq: '42', head: head.hash, time: '2026-11-28T00:00:00.000Z' });
    expect(cp.key_id).toMatch(/^[0-9a-f]{16}$/);
    const again = signCheckpoint(head, new Date('2026-11-28T00:00:00Z'), keys.privateKey, keys.publicKey);
    expect(again.key_id).toBe(cp.key_id);
    const byOther = signCheckpoint(head, new Date('2026-11-28T00:00:00Z'), other.privateKey, other.publicKey);
    expect(byOther.key_id).not.toBe(cp.key_id);
    // A checkpoint claiming another key's id is refused before its signature is even read.
    expect(checkpointSignatureValid({ ...cp, key_id: byOther.key_id }, keys.publicKey)).toBe(false);
  });

  it('fails a checkpoint signed by another key against the chain', () => {
    const forged = signCheckpoint(head, new Date('2026-11-28T00:00:00Z'), other.privateKey, other.publicKey);
    expect(checkCheckpoint(forged, keys.publicKey, { lastSeq: '42', hashAt: head.hash })).toEqual({
      ok: false,
      reason: 'checkpoint for seq 42 has an invalid signature or another key',
    });
  });

  it('accepts a chain that still holds the signed entry, longer or not', () => {
    expect(checkCheckpoint(cp, keys.publicKey, { lastSeq: '42', hashAt: head.hash })).toEqual({ ok: true });
    expect(checkCheckpoint(cp, keys.publicKey, { lastSeq: '900', hashAt: head.hash })).toEqual({ ok: true });
  });

  it('fails a chain cut below the checkpoint, naming both ends', () => {
    const v = checkCheckpoint(cp, keys.publicKey, { lastSeq: '40', hashAt: undefined });
    expect(v).toEqual({
      ok: false,
      reason: expect.stringMatching(/ends at seq 40.*covers seq 42/) as string,
    });
    expect(checkCheckpoint(cp, keys.publicKey, { lastSeq: '41', hashAt: undefined }).ok).toBe(false);
    expect(checkCheckpoint(cp, keys.publicKey, { lastSeq: undefined, hashAt: undefined })).toEqual({
      ok: false,
      reason: expect.stringMatching(/ends at seq 0,.*covers seq 42: entries were removed/) as string,
    });
    // compared as numbers, not strings ("100" < "42" as text)
    expect(checkCheckpoint(cp, keys.publicKey, { lastSeq: '100', hashAt: head.hash }).ok).toBe(true);
  });

  it('fails a chain whose entry at the checkpoint was rewritten', () => {
    const v = checkCheckpoint(cp, keys.publicKey, { lastSeq: '50', hashAt: 'c'.repeat(64) });
    expect(v).toMatchObject({
      ok: false,
      reason: expect.stringContaining('entry 42 has another hash') as string,
    });
  });

  it('fails a chain that no longer has the entry at the checkpoint', () => {
    expect(checkCheckpoint(cp, keys.publicKey, { lastSeq: '50', hashAt: undefined })).toEqual({
      ok: false,
      reason: 'entry 42 is missing, unlike the checkpoint of 2026-11-28T00:00:00.000Z',
    });
  });
});
