import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClipEngine, embedLabels } from '@clipguard/clip';
import { tenantsFileSchema } from '@clipguard/config';
import { REPO_ROOT, TINY_CLIP_DIR } from '@clipguard/testing';
import { CompiledPolicyCache } from './compiled-policy-cache';
import { LivePolicies } from './live-policies';
import { PolicyCatalog } from './policy-catalog';
import { readPolicyFile } from './policy-files';

const SHAPES_V1 = join(REPO_ROOT, 'test/fixtures/policies/shapes/v1.yaml');
const SHAPES_V2 = join(REPO_ROOT, 'test/fixtures/policies/shapes/v2.yaml');

describe('PolicyCatalog and CompiledPolicyCache on the tiny CLIP', () => {
  let engine: ClipEngine;
  let embedCalls = 0;
  const embed = (texts: string[], templates: readonly string[]) => {
    embedCalls++;
    return embedLabels(engine, texts, templates);
  };

  beforeAll(async () => {
    engine = await ClipEngine.open({ modelDir: TINY_CLIP_DIR, variant: 'fp32' });
  });
  afterAll(() => engine.close());

  function newCatalog() {
    const root = mkdtempSync(join(tmpdir(), 'clipguard-catalog-'));
    const dir = join(root, 'policies', 'shapes');
    mkdirSync(dir, { recursive: true });
    const cache = new CompiledPolicyCache(join(root, 'cache'));
    const catalog = new PolicyCatalog(
      join(root, 'policies'),
      async (parsed) => (await cache.compile(parsed, engine.modelId, embed)).compiled,
    );
    return { dir, catalog, cache };
  }

  it('compiles every version and serves them by id and version', async () => {
    const { dir, catalog } = newCatalog();
    copyFileSync(SHAPES_V1, join(dir, 'v1.yaml'));
    copyFileSync(SHAPES_V2, join(dir, 'v2.yaml'));
    const report = await catalog.reload();
    expect(report).toEqual({ loaded: ['shapes@v1', 'shapes@v2'], rejected: [] });
    expect(catalog.require('shapes', 1).embeddings).toHaveLength(catalog.require('shapes', 1).prompts.length);
    expect(catalog.latest('shapes')?.policy.version).toBe(2);
    expect(() => catalog.require('shapes', 9)).toThrow(/not loaded/);
  });

  it('rejects an invalid new file and keeps the previous versions live', async () => {
    const { dir, catalog } = newCatalog();
    copyFileSync(SHAPES_V1, join(dir, 'v1.yaml'));
    await catalog.reload();
    writeFileSync(
      join(dir, 'v2.yaml'),
      readFileSync(SHAPES_V2, 'utf8').replace('severity: high', 'severity: enormous'),
    );
    const report = await catalog.reload();
    expect(report.loaded).toEqual([]);
    expect(report.rejected).toEqual([
      expect.objectContaining({ code: 'POLICY_INVALID', file: join(dir, 'v2.yaml') }),
    ]);
    expect(catalog.latest('shapes')?.policy.version).toBe(1);
    // Fixed on disk: the next pass picks it up.
    copyFileSync(SHAPES_V2, join(dir, 'v2.yaml'));
    expect((await catalog.reload()).loaded).toEqual(['shapes@v2']);
  });

  it('refuses an edit to a loaded version (versions are immutable)', async () => {
    const { dir, catalog } = newCatalog();
    copyFileSync(SHAPES_V1, join(dir, 'v1.yaml'));
    await catalog.reload();
    const before = catalog.require('shapes', 1);
    writeFileSync(join(dir, 'v1.yaml'), readFileSync(SHAPES_V1, 'utf8').replace('block: 0.5', 'block: 0.55'));
    const report = await catalog.reload();
    expect(report.rejected[0]).toMatchObject({ code: 'POLICY_IMMUTABLE' });
    expect(catalog.require('shapes', 1)).toBe(before);
    // A comment-only edit is the same content: nothing happens.
    writeFileSync(join(dir, 'v1.yaml'), `# reviewed\n${readFileSync(SHAPES_V1, 'utf8')}`);
    expect(await catalog.reload()).toEqual({ loaded: [], rejected: [] });
  });

  it('rejects a file whose prompts cannot be compiled, without a half-loaded policy', async () => {
    const { dir } = newCatalog();
    const stopped = await ClipEngine.open({ modelDir: TINY_CLIP_DIR, variant: 'fp32' });
    await stopped.close();
    const catalog = new PolicyCatalog(join(dir, '..'), async (parsed) => ({
      ...parsed,
      modelId: stopped.modelId,
      prompts: [],
      embeddings: await embedLabels(stopped, ['a red star'], parsed.policy.templates),
    }));
    copyFileSync(SHAPES_V1, join(dir, 'v1.yaml'));
    const report = await catalog.reload();
    expect(report.rejected).toEqual([expect.objectContaining({ code: 'POLICY_COMPILE_FAILED' })]);
    expect(catalog.list()).toEqual([]);
  });

  it('serves a recompilation of an unchanged policy from the disk cache, per model id', async () => {
    const { cache } = newCatalog();
    const parsed = readPolicyFile(SHAPES_V1);
    const first = await cache.compile(parsed, engine.modelId, embed);
    const calls = embedCalls;
    const second = await cache.compile(parsed, engine.modelId, embed);
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(embedCalls).toBe(calls);
    expect(second.compiled.embeddings.map((e) => Array.from(e))).toEqual(
      first.compiled.embeddings.map((e) => Array.from(e)),
    );
    expect((await cache.compile(parsed, 'another-model@0', embed)).cached).toBe(false);
  });
});

describe('LivePolicies', () => {
  it('resolves live and shadow versions per tenant and names what is missing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'clipguard-live-'));
    mkdirSync(join(root, 'shapes'));
    copyFileSync(SHAPES_V1, join(root, 'shapes', 'v1.yaml'));
    copyFileSync(SHAPES_V2, join(root, 'shapes', 'v2.yaml'));
    // Resolution only: compilation is covered above.
    const catalog = new PolicyCatalog(root, (parsed) =>
      Promise.resolve({
        ...parsed,
        modelId: 'not-compiled',
        prompts: [],
        embeddings: [],
      }),
    );
    await catalog.reload();
    const tenants = tenantsFileSchema.parse({
      tenants: {
        acme: { name: 'Acme', policy: { id: 'shapes', version: 1, shadow: 2 } },
        beta: { name: 'Beta', policy: { id: 'shapes', version: 7 } },
      },
    });
    const live = new LivePolicies(catalog, tenants);
    const acme = live.forTenant('acme');
    expect([acme.live.policy.version, acme.shadow?.policy.version]).toEqual([1, 2]);
    expect(() => live.check()).toThrow('beta: shapes v7');
    expect(() => live.forTenant('nobody')).toThrow(/unknown tenant/);
  });
});
