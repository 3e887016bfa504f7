import type { KeyObject } from 'node:crypto';
import { signCheckpoint, type Checkpoint } from '@clipguard/audit';
import type { AuditRepository } from '../repositories/audit.repository';
import type { CheckpointStore } from './checkpoint-store';

/**
 * Signs the chain's current head and stores it; undefined when there is nothing new to sign (an empty
 * chain, the head already checkpointed, or another instance wrote this head's checkpoint first).
 */
export async function takeCheckpoint(
  audit: AuditRepository,
  store: CheckpointStore,
  keys: { privateKey: KeyObject; publicKey: KeyObject },
  now = new Date(),
): Promise<Checkpoint | undefined> {
  const head = await audit.head();
  if (!head || store.latest()?.seq === head.seq) return undefined;
  const cp = signCheckpoint(head, now, keys.privateKey, keys.publicKey);
  return store.write(cp, keys.publicKey) ? cp : undefined;
}
