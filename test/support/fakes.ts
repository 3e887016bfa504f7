import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from '@nestjs/common';
import type { Job } from 'bullmq';
import pino, { type Logger } from 'pino';
import { loadPipelineEnv, tenantsFileSchema, type AppEnv, type TenantsFile } from '@clipguard/config';
import { parsePolicy, type ParsedPolicy } from '@clipguard/policy';
import { sha256Hex, type BlobStore, type Submission } from '@clipguard/storage';
import { REPO_ROOT } from './paths';

/**
 * Fakes for unit tests of app services (Immich's `newTestService` style): every method of a repository or
 * producer becomes a `jest.fn()`, infrastructure tokens get small in-memory stand-ins.
 */

/** Every method of the class (and its base classes) as a `jest.fn()` returning undefined until told otherwise. */
export function mockOf<T extends object>(cls: abstract new (...args: never[]) => T): jest.Mocked<T> {
  const mock: Record<string, jest.Mock> = {};
  let proto = cls.prototype as object | null;
  while (proto && proto !== Object.prototype) {
    for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(proto)))
      if (name !== 'constructor' && !(name in mock) && typeof d.value === 'function') mock[name] = jest.fn();
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return mock as unknown as jest.Mocked<T>;
}

/** The pipeline's configuration with its defaults, plus the settings a test names (as environment strings). */
export const testEnv = (overrides: Record<string, string> = {}): AppEnv => loadPipelineEnv(overrides);

export const silentLogger = (): Logger => pino({ level: 'silent' });

/** A tenants file: each tenant gets the shapes policy unless it says otherwise; defaults filled by the schema. */
export function testTenants(tenants: Record<string, Record<string, unknown>>): TenantsFile {
  const withDefaults = Object.fromEntries(
    Object.entries(tenants).map(([name, t]) => [name, { name, policy: { id: 'shapes', version: 1 }, ...t }]),
  );
  return tenantsFileSchema.parse({ tenants: withDefaults });
}

/** The execution context a guard sees for an HTTP request. */
export const httpContext = (req: object): ExecutionContext =>
  ({ switchToHttp: () => ({ getRequest: () => req }) }) as unknown as ExecutionContext;

/** A content-addressed blob store in memory. */
export class MemoryBlobStore implements BlobStore {
  readonly blobs = new Map<string, Buffer>();

  put(bytes: Uint8Array): Promise<string> {
    const key = sha256Hex(bytes);
    this.blobs.set(key, Buffer.from(bytes));
    return Promise.resolve(key);
  }

  get(key: string): Promise<Buffer | undefined> {
    return Promise.resolve(this.blobs.get(key));
  }

  /** Keys held past their TTL for a review. */
  readonly retained = new Set<string>();

  retain(key: string): Promise<void> {
    this.retained.add(key);
    return Promise.resolve();
  }

  release(key: string): Promise<void> {
    this.retained.delete(key);
    return Promise.resolve();
  }
}

/** A submission row as the repository returns it: queued, never enqueued, unless the test says otherwise. */
export function fakeSubmission(overrides: Partial<Submission> = {}): Submission {
  const now = new Date();
  return {
    id: '5f0c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f',
    tenant: 'acme',
    event_id: 'evt-1',
    status: 'queued',
    content_url: null,
    blob_key: null,
    content_sha256: null,
    metadata: {},
    priority: 'normal',
    error_code: null,
    error_message: null,
    enqueued_at: null,
    decide_job_id: null,
    redrives: 0,
    webhook_id: null,
    created_at: now,
    updated_at: now,
    ...overrides,
  };
}

/** A BullMQ job as a processor sees it: its payload, attempts made and allowed. */
export function fakeJob(
  data: unknown,
  options: { id?: string; attemptsMade?: number; attempts?: number } = {},
): jest.Mocked<Job> {
  return {
    id: options.id ?? 'job-1',
    data,
    attemptsMade: options.attemptsMade ?? 0,
    opts: { attempts: options.attempts ?? 3 },
    timestamp: Date.now(),
    moveToDelayed: jest.fn().mockResolvedValue(undefined),
  } as unknown as jest.Mocked<Job>;
}

/** A promise with its resolve and reject in hand, for work a test finishes when it chooses. */
export function deferred<T = void>(): {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
} {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A version of the test fixture policy `shapes` (test/fixtures/policies), parsed. */
export function shapesPolicy(version: 1 | 2): ParsedPolicy {
  const file = join(REPO_ROOT, 'test', 'fixtures', 'policies', 'shapes', `v${version}.yaml`);
  return parsePolicy(readFileSync(file, 'utf8'), file);
}
