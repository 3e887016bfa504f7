import type { CompiledPolicy } from './compile';
import { promptSimilarities } from './similarity';

describe('promptSimilarities', () => {
  it('gives one row per frame and one dot product per compiled prompt, in prompt order', () => {
    const compiled = {
      embeddings: [Float32Array.of(1, 0, 0), Float32Array.of(0, 0.6, 0.8), Float32Array.of(0, 1, 0)],
    } as CompiledPolicy;
    const frames = [Float32Array.of(0, 0.8, 0.6), Float32Array.of(1, 0, 0)];
    const rows = promptSimilarities(compiled, frames);
    expect(rows).toHaveLength(2);
    // 0.6·0.8 + 0.8·0.6 = 0.96
    expect(rows[0][0]).toBe(0);
    expect(rows[0][1]).toBeCloseTo(0.96, 6);
    expect(rows[0][2]).toBeCloseTo(0.8, 6);
    expect(rows[1]).toEqual([1, 0, 0]);
  });
});
