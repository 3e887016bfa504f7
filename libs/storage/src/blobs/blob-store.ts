import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';

/** Content-addressed blobs: the key is the sha256 of the bytes, so storing twice is free. */
export interface BlobStore {
  put(bytes: Uint8Array): Promise<string>;
  get(key: string): Promise<Buffer | undefined>;
}

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Files under `<dir>/ab/cd/<sha256>`; writes are atomic (temp file + rename). */
export class FileBlobStore implements BlobStore {
  constructor(private readonly dir: string) {}

  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), key.slice(2, 4), key);
  }

  put(bytes: Uint8Array): Promise<string> {
    const key = sha256Hex(bytes);
    const path = this.path(key);
    if (!existsSync(path)) {
      mkdirSync(join(path, '..'), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, bytes);
      renameSync(tmp, path);
    }
    return Promise.resolve(key);
  }

  async get(key: string): Promise<Buffer | undefined> {
    if (!/^[0-9a-f]{64}$/.test(key)) return undefined;
    return readFile(this.path(key)).catch(() => undefined);
  }
}

/** Redis with a TTL, for several hosts without a shared disk. */
export class RedisBlobStore implements BlobStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
    private readonly prefix = 'clipguard:blob:',
  ) {}

  async put(bytes: Uint8Array): Promise<string> {
    const key = sha256Hex(bytes);
    await this.redis.set(this.prefix + key, Buffer.from(bytes), 'EX', this.ttlSeconds);
    return key;
  }

  async get(key: string): Promise<Buffer | undefined> {
    return (await this.redis.getBuffer(this.prefix + key)) ?? undefined;
  }
}
