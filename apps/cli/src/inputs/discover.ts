import { closeSync, openSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ImageFormat } from '@clipguard/clip';
import { CliError, isError } from '../errors';
import { plural } from '../output';
import { sniffFile } from './sniff-file';

export type InputEntry =
  | { kind: 'image'; path: string; format: ImageFormat }
  | { kind: 'skipped'; path: string; reason: string }
  | { kind: 'unreadable'; path: string; code: string; reason: string };

/** Enough bytes for every magic number the engine sniffs and for an SVG's opening tag. */
const HEAD_BYTES = 1024;

function readHead(path: string, size: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(HEAD_BYTES, size));
    readSync(fd, head, 0, head.length, 0);
    return head;
  } finally {
    closeSync(fd);
  }
}

function classify(path: string, size: number, named: boolean): InputEntry {
  try {
    return { path, ...sniffFile(basename(path), readHead(path, size), size, named) };
  } catch (err) {
    const code = isError(err) && 'code' in err && typeof err.code === 'string' ? err.code : 'EIO';
    return {
      kind: 'unreadable',
      path,
      code,
      reason: code === 'EACCES' ? 'permission denied' : 'cannot be read',
    };
  }
}

/**
 * Every file under the given paths, each as an image to scan, a skip with its reason, or an unreadable
 * input: nothing found is dropped without a word. Images are recognised by their bytes, whatever their
 * name. Hidden entries in directories are listed as skipped; symlink loops are walked once.
 */
export function discoverInputs(paths: readonly string[]): InputEntry[] {
  const out: InputEntry[] = [];
  const seenDirs = new Set<string>();
  const walk = (dir: string) => {
    const real = realpathSync(dir);
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (name.startsWith('.')) {
        out.push({
          kind: 'skipped',
          path,
          reason: stat?.isDirectory() ? 'hidden directory, not searched' : 'hidden file',
        });
      } else if (!stat) {
        out.push({ kind: 'unreadable', path, code: 'ENOENT', reason: 'broken link' });
      } else if (stat.isDirectory()) {
        walk(path);
      } else if (stat.isFile()) {
        out.push(classify(path, stat.size, false));
      } else {
        out.push({ kind: 'skipped', path, reason: 'not a regular file' });
      }
    }
  };
  for (const p of paths) {
    const stat = statSync(p, { throwIfNoEntry: false });
    if (!stat) out.push({ kind: 'unreadable', path: p, code: 'ENOENT', reason: 'no such file or directory' });
    else if (stat.isDirectory()) walk(p);
    else out.push(classify(p, stat.size, true));
  }
  return out;
}

/** Refuses a run with nothing to do: an empty directory or a shell glob that matched nothing. */
export function requireInput(paths: readonly string[], entries: readonly InputEntry[]): void {
  if (entries.some((e) => e.kind === 'image')) return;
  const missing = entries.filter((e) => e.kind === 'unreadable' && e.code === 'ENOENT');
  if (entries.length > 0 && missing.length === entries.length) {
    throw new CliError(
      'INPUT_NOT_FOUND',
      `nothing to read: ${missing.map((m) => m.path).join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist`,
      /[*?[]/.test(paths.join(' '))
        ? 'a shell glob that matches nothing is passed on as it is written: check the pattern'
        : 'check the path',
    );
  }
  if (entries.some((e) => e.kind === 'unreadable')) return;
  const skipped = entries.length;
  throw new CliError(
    'INPUT_EMPTY',
    skipped === 0
      ? `no files found in ${paths.join(', ')}`
      : `no images among the ${plural(skipped, 'file')} found in ${paths.join(', ')}`,
    skipped === 0
      ? 'give image files or directories that hold them'
      : 'images are recognised by their bytes: JPEG, PNG, WebP, GIF, TIFF or AVIF',
  );
}

export const imagePaths = (entries: readonly InputEntry[]) =>
  entries.flatMap((e) => (e.kind === 'image' ? [e.path] : []));
