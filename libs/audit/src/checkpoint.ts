import { createHash, sign, verify, type KeyObject } from 'node:crypto';

/**
 * A signed statement of the audit chain's head, in the manner of Certificate Transparency's signed tree
 * heads: kept outside the database, it lets anyone detect entries removed from the chain's end, which the
 * hash chain alone cannot show.
 */
export interface CheckpointBody {
  v: 1;
  /** Sequence number of the head entry. */
  seq: string;
  /** Hash of the head entry. */
  head: string;
  time: string;
  /** Which key signed it: the first 16 hex digits of the sha256 of the public key (SPKI DER). */
  key_id: string;
}

export interface Checkpoint extends CheckpointBody {
  /** Ed25519 over the canonical JSON of the body, base64. */
  signature: string;
}

export const keyId = (publicKey: KeyObject) =>
  createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);

const signedBytes = (b: CheckpointBody) =>
  Buffer.from(JSON.stringify({ v: b.v, seq: b.seq, head: b.head, time: b.time, key_id: b.key_id }));

export function signCheckpoint(
  head: { seq: string; hash: string },
  time: Date,
  privateKey: KeyObject,
  publicKey: KeyObject,
): Checkpoint {
  const body: CheckpointBody = {
    v: 1,
    seq: head.seq,
    head: head.hash,
    time: time.toISOString(),
    key_id: keyId(publicKey),
  };
  return { ...body, signature: sign(null, signedBytes(body), privateKey).toString('base64') };
}

export function checkpointSignatureValid(cp: Checkpoint, publicKey: KeyObject): boolean {
  if (cp.key_id !== keyId(publicKey)) return false;
  return verify(null, signedBytes(cp), publicKey, Buffer.from(cp.signature, 'base64'));
}

export type CheckpointVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Holds one checkpoint against the stored chain: its signature must verify, and the entry it names must
 * still exist with the hash it signed (a chain cut below it, or rewritten at it, fails).
 */
export function checkCheckpoint(
  cp: Checkpoint,
  publicKey: KeyObject,
  chain: { lastSeq: string | undefined; hashAt: string | undefined },
): CheckpointVerdict {
  if (!checkpointSignatureValid(cp, publicKey))
    return { ok: false, reason: `checkpoint for seq ${cp.seq} has an invalid signature or another key` };
  if (chain.lastSeq === undefined || BigInt(chain.lastSeq) < BigInt(cp.seq))
    return {
      ok: false,
      reason: `the chain ends at seq ${chain.lastSeq ?? 0}, but the checkpoint of ${cp.time} covers seq ${cp.seq}: entries were removed`,
    };
  if (chain.hashAt !== cp.head)
    return {
      ok: false,
      reason: `entry ${cp.seq} ${chain.hashAt ? 'has another hash than' : 'is missing, unlike'} the checkpoint of ${cp.time}`,
    };
  return { ok: true };
}
