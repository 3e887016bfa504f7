import { nearest } from './nearest';

const v = (...xs: number[]) => Float32Array.from(xs);

describe('nearest similar cases', () => {
  it('ranks by cosine similarity, ignores length and other dimensions, keeps k', () => {
    const cases = [
      { id: 'orthogonal', embedding: v(0, 1, 0) },
      { id: 'same-direction', embedding: v(10, 0, 0) },
      { id: 'half', embedding: v(1, Math.sqrt(3), 0) },
      { id: 'other-model', embedding: v(1, 0) },
    ];
    const top = nearest(v(2, 0, 0), cases, 2);
    expect(top.map((c) => c.id)).toEqual(['same-direction', 'half']);
    expect(top[0].similarity).toBeCloseTo(1, 6);
    expect(top[1].similarity).toBeCloseTo(0.5, 6);
    expect(nearest(v(2, 0, 0), cases, 5)).toHaveLength(3);
  });

  it('refuses an all-zero query', () => {
    expect(() => nearest(v(0, 0), [], 5)).toThrow(
      expect.objectContaining({ code: 'EMBEDDING_INVALID' }) as Error,
    );
  });
});
