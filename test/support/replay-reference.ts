import { ClipEngine } from '@clipguard/clip';
import { decideEmbeddings } from '@clipguard/decision';
import { loadCompiledPolicy } from '@clipguard/storage';
import { TINY_CLIP_DIR } from './paths';

export interface VerdictChange {
  submissionId: string;
  from: string;
  to: string;
}

/**
 * The reference a replay from stored embeddings must match: each image encoded afresh by the tiny CLIP and
 * decided in-process by two policy versions; the submissions whose verdict differs.
 */
export async function freshVerdictChanges(
  from: string,
  to: string,
  images: ReadonlyMap<string, Buffer>,
  cacheDir: string,
): Promise<VerdictChange[]> {
  const engine = await ClipEngine.open({ modelDir: TINY_CLIP_DIR, variant: 'fp32' });
  try {
    const a = (await loadCompiledPolicy(engine, from, cacheDir)).compiled;
    const b = (await loadCompiledPolicy(engine, to, cacheDir)).compiled;
    const changes: VerdictChange[] = [];
    for (const [submissionId, png] of images) {
      const frames = (await engine.embedImage(png)).embeddings;
      const scale = engine.info.logitScale;
      const [before, after] = [decideEmbeddings(a, frames, scale), decideEmbeddings(b, frames, scale)];
      if (before.verdict !== after.verdict)
        changes.push({ submissionId, from: before.verdict, to: after.verdict });
    }
    return changes;
  } finally {
    await engine.close();
  }
}
