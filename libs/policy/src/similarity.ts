import type { CompiledPolicy } from './compile';

/** Cosine similarity of each frame embedding with every compiled prompt (inputs are unit vectors). */
export function promptSimilarities(compiled: CompiledPolicy, frames: readonly Float32Array[]): number[][] {
  return frames.map((f) =>
    compiled.embeddings.map((e) => {
      let s = 0;
      for (let i = 0; i < e.length; i++) s += e[i] * f[i];
      return s;
    }),
  );
}
