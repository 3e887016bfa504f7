import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PolicyError, type ParsedPolicy } from '@clipguard/policy';
import { listPolicyFiles, readPolicyFile } from './policy-files';

const POLICY_ID = /^[a-z][a-z0-9_-]*$/;

/**
 * Policy versions read by id and number from a policies directory (`<dir>/<id>/v<N>.yaml`), for readers
 * that need a version's categories and probes but not its prompt embeddings (reports, drift). Versions are
 * immutable, so each file is read once.
 */
export class PolicyVersions {
  private readonly cache = new Map<string, ParsedPolicy>();

  constructor(readonly dir: string) {}

  fileOf(id: string, version: number): string {
    if (!POLICY_ID.test(id)) throw new PolicyError('POLICY_NOT_FOUND', `"${id}" is not a policy id`);
    return join(this.dir, id, `v${version}.yaml`);
  }

  get(id: string, version: number): ParsedPolicy {
    const key = `${id}@v${version}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const file = this.fileOf(id, version);
    if (!existsSync(file))
      throw new PolicyError('POLICY_NOT_FOUND', `policy ${id} v${version} is not in ${this.dir}`, file);
    const parsed = readPolicyFile(file);
    this.cache.set(key, parsed);
    return parsed;
  }

  /** The highest version of a policy in the directory. */
  newest(id: string): ParsedPolicy {
    const dir = join(this.dir, id);
    const files = POLICY_ID.test(id) && existsSync(dir) ? listPolicyFiles(dir) : [];
    const last = files[files.length - 1];
    if (!last) throw new PolicyError('POLICY_NOT_FOUND', `no versions of policy ${id} in ${this.dir}`);
    return this.get(id, last.version);
  }

  /** A file beside a version (its fairness baseline), if there is one. */
  companion(id: string, version: number, suffix: string): string | undefined {
    const file = this.fileOf(id, version).replace(/\.yaml$/, suffix);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  }
}
