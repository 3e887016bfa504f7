import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Checkpoint } from '@clipguard/audit';

const FILE = /^checkpoint-(\d{20})\.json$/;
const PUBLIC_KEY_FILE = 'public-key.pem';

/** The Ed25519 key checkpoints are signed with (PKCS#8 PEM), and its public half. */
export function loadSigningKey(file: string): { privateKey: KeyObject; publicKey: KeyObject } {
  const privateKey = createPrivateKey(readFileSync(file));
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error(`${file} holds a ${privateKey.asymmetricKeyType} key; checkpoints need an Ed25519 key`);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/**
 * Checkpoints as files in a directory the database cannot rewrite (mount it from other storage, or sync
 * it to an object store with write-once retention). A file is created once and never overwritten.
 */
export class CheckpointStore {
  constructor(private readonly dir: string) {}

  /** Writes a checkpoint; false if one for this sequence number exists already (another instance). */
  write(cp: Checkpoint, publicKey: KeyObject): boolean {
    mkdirSync(this.dir, { recursive: true });
    try {
      writeFileSync(join(this.dir, PUBLIC_KEY_FILE), publicKey.export({ type: 'spki', format: 'pem' }), {
        flag: 'wx',
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    try {
      writeFileSync(
        join(this.dir, `checkpoint-${cp.seq.padStart(20, '0')}.json`),
        JSON.stringify(cp) + '\n',
        {
          flag: 'wx',
        },
      );
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  }

  /** Every checkpoint, oldest first, with its file name. */
  list(): { file: string; checkpoint: Checkpoint }[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return names
      .filter((n) => FILE.test(n))
      .sort()
      .map((n) => ({
        file: n,
        checkpoint: JSON.parse(readFileSync(join(this.dir, n), 'utf8')) as Checkpoint,
      }));
  }

  latest(): Checkpoint | undefined {
    return this.list().at(-1)?.checkpoint;
  }

  /** The public key stored beside the checkpoints, if any (PEM). */
  publicKeyPem(): string | undefined {
    try {
      return readFileSync(join(this.dir, PUBLIC_KEY_FILE), 'utf8');
    } catch {
      return undefined;
    }
  }
}
