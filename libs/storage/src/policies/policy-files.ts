import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PolicyError, parsePolicy, type ParsedPolicy } from '@clipguard/policy';

const VERSION_FILE = /^v(\d+)\.ya?ml$/;

/**
 * Reads one policy file. Files named `<id>/v<N>.yaml` must declare that id and version, so a copy that
 * was edited without renaming cannot pass as the version it came from.
 */
export function readPolicyFile(file: string): ParsedPolicy {
  if (!existsSync(file)) throw new PolicyError('POLICY_NOT_FOUND', `${file}: no such policy file`, file);
  const parsed = parsePolicy(readFileSync(file, 'utf8'), file);
  const match = basename(file).match(VERSION_FILE);
  if (match) {
    const dirId = basename(dirname(file));
    const { id, version } = parsed.policy;
    if (Number(match[1]) !== version || (dirId !== id && dirId !== '.')) {
      throw new PolicyError(
        'POLICY_INVALID',
        `${file}: declares ${id} v${version}, but its path says ${dirId} v${match[1]}`,
        file,
        [{ path: 'version', message: 'id and version must match <id>/v<N>.yaml' }],
      );
    }
  }
  return parsed;
}

/** Every `v<N>.yaml` under a directory, as { id, version, file }, sorted by id then version. */
export function listPolicyFiles(dir: string): { id: string; version: number; file: string }[] {
  const out: { id: string; version: number; file: string }[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const m = name.match(VERSION_FILE);
        if (m) out.push({ id: basename(d), version: Number(m[1]), file: path });
      }
    }
  };
  walk(dir);
  return out.sort((a, b) => a.id.localeCompare(b.id) || a.version - b.version);
}

/** A policy file, or the highest version in a directory `policies/<id>/`. */
export function resolvePolicyPath(path: string): string {
  if (!existsSync(path))
    throw new PolicyError('POLICY_NOT_FOUND', `${path}: no such policy file or directory`, path);
  if (!statSync(path).isDirectory()) return path;
  const files = listPolicyFiles(path);
  const newest = files[files.length - 1];
  if (!newest) throw new PolicyError('POLICY_NOT_FOUND', `${path}: holds no v<N>.yaml policy files`, path);
  return newest.file;
}
