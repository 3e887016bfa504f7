import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';

/** Content-addressed blobs: the key is the sha256 of the bytes, so storing twice is free. */
export interface BlobStore {
  put(bytes: Uint8Array): Promise<string>;
  get(key: string): Promise<Buffer | undefined>;
  /** Keeps a blob past its TTL while a review item needs it. */
  retain(key: string): Promise<void>;
  /** Lets a retained blob expire again (its review is done). */
  release(key: string): Promise<void>;
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

  /** Files have no TTL here: nothing expires them, so there is nothing to hold back. */
  retain(): Promise<void> {
    return Promise.resolve();
  }

  release(): Promise<void> {
    return Promise.resolve();
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
    const created = await this.redis.set(this.prefix + key, Buffer.from(bytes), 'EX', this.ttlSeconds, 'NX');
    // Stored already: renew its TTL, unless a review holds it (no TTL until released).
    if (created === null && (await this.redis.ttl(this.prefix + key)) >= 0)
      await this.redis.expire(this.prefix + key, this.ttlSeconds);
    return key;
  }

  async get(key: string): Promise<Buffer | undefined> {
    return (await this.redis.getBuffer(this.prefix + key)) ?? undefined;
  }

  async retain(key: string): Promise<void> {
    await this.redis.persist(this.prefix + key);
  }

  async release(key: string): Promise<void> {
    await this.redis.expire(this.prefix + key, this.ttlSeconds);
  }
}
