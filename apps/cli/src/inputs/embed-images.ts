import { readFile } from 'node:fs/promises';
import { isInputError, type ClipEngine, type ImageEmbedding } from '@clipguard/clip';
import { EXIT_PARTIAL, errorCode, fileErrorReason } from '../errors';
import { mapConcurrent } from '../moderation';
import type { CliIo } from '../output';
import { progress } from '../progress';
import type { InputEntry } from './discover';

export interface Unreadable {
  path: string;
  code: string;
  reason: string;
}

const FILE_ERRORS = new Set(['ENOENT', 'EISDIR', 'EACCES', 'EPERM']);

/**
 * Embeds every path (at most `lanes` in flight); a file that cannot be read or decoded is returned with
 * its reason instead of stopping the run. Faults of the engine itself still throw.
 */
export async function embedPaths(
  engine: ClipEngine,
  io: CliIo,
  paths: readonly string[],
  options: { frames?: number; label?: string; lanes?: number } = {},
): Promise<{ embedded: Map<string, ImageEmbedding>; unreadable: Unreadable[] }> {
  const bar = progress(io, paths.length, options.label ?? 'embedding');
  const embedded = new Map<string, ImageEmbedding>();
  const unreadable: Unreadable[] = [];
  await mapConcurrent(paths, options.lanes ?? 2 * engine.options.maxBatch, async (path) => {
    try {
      embedded.set(path, await engine.embedImage(await readFile(path), { frames: options.frames ?? 1 }));
    } catch (err) {
      const code = errorCode(err);
      if (!isInputError(err) && !FILE_ERRORS.has(code)) throw err;
      unreadable.push({ path, code, reason: fileErrorReason(err) });
    } finally {
      bar.tick();
    }
  });
  bar.stop();
  return { embedded, unreadable };
}

/** Lists skipped and unreadable inputs on stderr; unreadable ones raise exit bit 2. */
export function reportInputProblems(
  io: CliIo,
  entries: readonly InputEntry[],
  unreadable: readonly Unreadable[],
): void {
  for (const e of entries) {
    if (e.kind === 'skipped') io.err(`${e.path}: skipped: ${e.reason}`);
    if (e.kind === 'unreadable') io.err(`${e.path}: error[${e.code}]: ${e.reason}`);
  }
  for (const u of unreadable) io.err(`${u.path}: error[${u.code}]: ${u.reason}`);
  if (unreadable.length > 0 || entries.some((e) => e.kind === 'unreadable')) io.setExitCode(EXIT_PARTIAL);
}
