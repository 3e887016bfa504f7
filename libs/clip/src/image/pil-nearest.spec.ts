import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@clipguard/testing';
import { accumulate, binadeStart, pilNearestIndices } from './pil-nearest';

/** Pillow's loop as written in Geometry.c: one rounded addition per output pixel. */
function naive(start: number, step: number, n: number): number {
  let x = start;
  for (let i = 0; i < n; i++) x += step;
  return x;
}

describe('binadeStart (the power of two at or below x)', () => {
  it('is exact at, just above and just below every power of two', () => {
    for (let k = -60; k <= 60; k++) {
      const p = 2 ** k;
      expect(binadeStart(p)).toBe(p);
      expect(binadeStart(p * (1 + 2 ** -52))).toBe(p);
      expect(binadeStart(p * 1.5)).toBe(p);
      // the largest double below p: Math.log2 rounds it up to k
      expect(binadeStart(p * (1 - 2 ** -53))).toBe(p / 2);
    }
  });
});

describe('accumulate (closed-form runs of double additions)', () => {
  const steps = [
    1 / 224,
    10 / 224,
    4000 / 896000,
    3 / 672,
    7 / 3,
    0.5 + 2 ** -30,
    2 ** -20 + 2 ** -45,
    1000 / 1e9,
    Math.fround(16777217) / 224,
  ];
  it.each(steps)('matches one-by-one addition bit for bit for step %p', (step) => {
    for (const n of [0, 1, 5, 1000, 123_457, 2_000_003]) {
      expect(accumulate(step * 0.5, step, n)).toBe(naive(step * 0.5, step, n));
    }
  });

  it('matches on ties (steps with a bit exactly half an ulp of the running sum)', () => {
    // 1 + 2^-52·k sums land on ties once the sum passes 2, 4, 8, …
    for (const step of [1 + 2 ** -52, 3 + 2 ** -51, 0.75 + 2 ** -53, 2 ** -10 + 2 ** -62]) {
      for (const n of [3, 17, 4096, 300_001]) expect(accumulate(step, step, n)).toBe(naive(step, step, n));
    }
  });
});

describe('pilNearestIndices', () => {
  const pillow = JSON.parse(
    readFileSync(join(REPO_ROOT, 'test/fixtures/images-pillow/nearest-indices.json'), 'utf8'),
  ) as {
    cases: { in: number; out: number; first: number; indices: number[] }[];
  };
  it.each(pillow.cases.map((c) => [`${c.in} → ${c.out} from ${c.first}`, c] as const))(
    "gives Pillow's own source indices for %s",
    (_, c) => {
      expect(Array.from(pilNearestIndices(c.in, c.out, c.first, c.indices.length))).toEqual(c.indices);
    },
  );

  it('gives a window the same indices as the whole row', () => {
    const whole = pilNearestIndices(4000, 896_000, 0, 896_000);
    const window = pilNearestIndices(4000, 896_000, 447_888, 224);
    expect(Array.from(window)).toEqual(Array.from(whole.subarray(447_888, 447_888 + 224)));
  });

  it('marks output indices outside the resized image with -1', () => {
    expect(Array.from(pilNearestIndices(3, 6, -2, 10))).toEqual([-1, -1, 0, 0, 1, 1, 2, 2, -1, -1]);
  });
});
