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
});
