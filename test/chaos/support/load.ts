import { randomScene, renderScene, rng } from '@clipguard/testing';

/** `n` distinct small images of the tiny CLIP's world (coloured shapes), deterministic per seed. */
export function renderLoad(n: number, seed: number, size = 96): Promise<Buffer[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) => {
      const random = rng(seed + i);
      return renderScene(randomScene(random), random, size);
    }),
  );
}
