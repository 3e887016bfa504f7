import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRedis } from '@clipguard/queue';
import { FileBlobStore, RedisBlobStore, sha256Hex, type BlobStore } from './blob-store';

const redis = createRedis('redis://127.0.0.1:6379');
afterAll(() => redis.quit());

describe.each<[string, () => BlobStore]>([
  ['FileBlobStore', () => new FileBlobStore(mkdtempSync(join(tmpdir(), 'clipguard-blobs-')))],
  ['RedisBlobStore (real Redis)', () => new RedisBlobStore(redis, 60, `clipguard-test-${process.pid}:`)],
])('%s', (_, make) => {
  it('stores content under its sha256 and returns the same bytes', async () => {
    const store = make();
    const bytes = Buffer.from(`blob ${Math.random()}`);
    const key = await store.put(bytes);
    expect(key).toBe(sha256Hex(bytes));
    expect(await store.put(bytes)).toBe(key);
    expect((await store.get(key))?.equals(bytes)).toBe(true);
    expect(await store.get('0'.repeat(64))).toBeUndefined();
  });
});

it('RedisBlobStore sets the TTL', async () => {
  const store = new RedisBlobStore(redis, 120, `clipguard-ttl-${process.pid}:`);
  const key = await store.put(Buffer.from('ttl'));
  const ttl = await redis.ttl(`clipguard-ttl-${process.pid}:${key}`);
  expect(ttl).toBeGreaterThan(100);
  expect(ttl).toBeLessThanOrEqual(120);
});
