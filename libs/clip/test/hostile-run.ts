// Child-process script for hostile-files.spec.ts: every hostile file through the engine (preprocessing
// threads, then inference), one JSON line each. A crash or hang ends this process, not jest.
import { ClipEngine } from '../src/engine/clip-engine';
import { ClipError } from '../src/errors';
import { HOSTILE_CASES } from './hostile-images';

async function main(): Promise<void> {
  const engine = await ClipEngine.open({ modelDir: process.argv[2], variant: 'fp32' });
  try {
    for (const c of HOSTILE_CASES) {
      const bytes = await c.make();
      let outcome: string;
      let embeddings = 0;
      try {
        const out = await engine.embedImage(bytes, { frames: c.frames ?? 1 });
        outcome = 'embedding';
        embeddings = out.embeddings.filter(
          (e) => e.length === engine.info.embedDim && e.every(Number.isFinite),
        ).length;
      } catch (err) {
        outcome = err instanceof ClipError ? err.code : `untyped: ${String(err)}`;
      }
      process.stdout.write(`${JSON.stringify({ name: c.name, outcome, embeddings, bytes: bytes.length })}\n`);
    }
  } finally {
    await engine.close();
  }
}

void main();
