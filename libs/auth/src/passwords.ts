import { Algorithm, hash, verify } from '@node-rs/argon2';

// OWASP's argon2id parameters (19 MiB, 2 iterations, 1 lane): ~30 ms here, memory-hard for attackers.
const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, OPTIONS);

/** Whether `password` matches the stored hash; a malformed hash is a mismatch, never an exception. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** Compared against when the account does not exist, so a wrong email costs as much time as a wrong password. */
let decoy: Promise<string> | undefined;
export const decoyHash = () => (decoy ??= hashPassword('decoy password for timing equality'));
