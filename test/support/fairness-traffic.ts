import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderScene, rng, type Scene } from './shapes';
import type { Stack } from './stack';

const OTHERS = ['circle', 'square', 'triangle', 'cross', 'heart'] as const;
const COLOURS = ['green', 'blue', 'yellow', 'purple', 'orange', 'black', 'white'] as const;

export interface LabelledScene {
  scene: Scene;
  /** The categories of test/fixtures/policies/shapes-audit really present. */
  truth: string[];
}

export interface GroupMix {
  red: number;
  stars: number;
  others: number;
}

/**
 * Rendered shapes for the fairness audit, per size group: red shapes (category `red`), stars of other
 * colours (`star`) and other shapes of other colours (nothing). `several` alternates one and two shapes
 * per image, so the `count` probe has both groups.
 */
export function shapesTraffic(mix: { small: GroupMix; large: GroupMix }, several = false): LabelledScene[] {
  const count = (i: number) => (several ? (((i % 2) + 1) as 1 | 2) : 1);
  const group = (size: 'small' | 'large', m: GroupMix): LabelledScene[] => [
    ...Array.from({ length: m.red }, (_, i) => ({
      scene: { shape: OTHERS[i % 5], colour: 'red' as const, size, count: count(i) },
      truth: ['red'],
    })),
    ...Array.from({ length: m.stars }, (_, i) => ({
      scene: { shape: 'star' as const, colour: COLOURS[i % 7], size, count: count(i) },
      truth: ['star'],
    })),
    ...Array.from({ length: m.others }, (_, i) => ({
      scene: { shape: OTHERS[i % 5], colour: COLOURS[(i + 3) % 7], size, count: count(i) },
      truth: [],
    })),
  ];
  return [...group('small', mix.small), ...group('large', mix.large)];
}

/**
 * Resolves every pending review and QA item of the key's tenant through the API-key endpoint, as a
 * moderator would: `judge` gives the verdict and category labels for a submission.
 */
export async function resolveAllReviews(
  stack: Stack,
  apiKey: string,
  judge: (submissionId: string) => { verdict: 'allow' | 'block'; labels: string[] },
): Promise<number> {
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const listed = (await (await fetch(`${stack.apiUrl}/v1/reviews?limit=500`, { headers })).json()) as {
    items: { id: string; submission_id: string }[];
  };
  for (const item of listed.items) {
    const res = await fetch(`${stack.apiUrl}/v1/reviews/${item.id}/resolve`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ ...judge(item.submission_id), moderator: 'mod-1' }),
    });
    if (res.status !== 201) throw new Error(`resolving review ${item.id}: HTTP ${res.status}`);
  }
  return listed.items.length;
}

/** Renders the scenes into `dir` with a labels CSV (path,categories) for `policy eval`; returns the CSV. */
export async function writeLabelledSet(
  dir: string,
  scenes: readonly LabelledScene[],
  seed: number,
): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const rows = ['path,categories'];
  for (const [i, s] of scenes.entries()) {
    writeFileSync(join(dir, `${i}.png`), await renderScene(s.scene, rng(seed + i)));
    rows.push(`${i}.png,${s.truth.join(';')}`);
  }
  const csv = join(dir, 'labels.csv');
  writeFileSync(csv, `${rows.join('\n')}\n`);
  return csv;
}
