import { flattenCategories, type PromptRow } from './compile';
import type { Policy } from './schema';

export interface CategoryScore {
  /** In [0, 1]; see the README's policy guide for each method's meaning. */
  score: number;
  /** False for children whose parent did not cross its review threshold (the gate). */
  evaluated: boolean;
  /** The category prompt that matched best, and its cosine similarity. */
  topPrompt: string;
  topSimilarity: number;
  /** Frame the score came from (multi-frame images are scored on the max over frames). */
  frame: number;
}

export interface AttributeProbe {
  value: string;
  /** Probability of the most likely value (softmax over the probe's prompts at the logit scale). */
  confidence: number;
  /** Top minus second probability: how clearly the probe chose; near 0 the result is ambiguous. */
  margin: number;
}

export interface PolicyScores {
  categories: Record<string, CategoryScore>;
  attributes: Record<string, AttributeProbe>;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Softmax at `scale` over the selected rows; returns each row's probability (0 for rows not selected). */
function softmaxOver(
  sims: readonly number[],
  selected: readonly number[],
  scale: number,
): Map<number, number> {
  const m = Math.max(...selected.map((i) => sims[i] * scale));
  const e = selected.map((i) => Math.exp(sims[i] * scale - m));
  const total = e.reduce((a, b) => a + b, 0);
  return new Map(selected.map((i, k) => [i, e[k] / total]));
}

const mass = (probs: Map<number, number>, rows: readonly number[]) =>
  rows.reduce((s, i) => s + (probs.get(i) ?? 0), 0);

const NO_ROWS: readonly number[] = [];
const rowIndexes = new WeakMap<readonly PromptRow[], Map<string, number[]>>();

/** Prompt rows grouped by kind and owner, built once per compiled prompt list (scoring is a hot path). */
function rowsBy(
  prompts: readonly PromptRow[],
): (kind: PromptRow['kind'], owner?: string) => readonly number[] {
  let index = rowIndexes.get(prompts);
  if (!index) {
    index = new Map();
    for (const [i, p] of prompts.entries()) {
      for (const key of [`${p.kind}:${p.owner}`, `${p.kind}:*`]) {
        const list = index.get(key);
        if (list) list.push(i);
        else index.set(key, [i]);
      }
    }
    rowIndexes.set(prompts, index);
  }
  const built = index;
  return (kind, owner = '*') => built.get(`${kind}:${owner}`) ?? NO_ROWS;
}

/**
 * Scores one frame: prompt cosine similarities (in compiled prompt order) → category scores in [0, 1].
 * softmax: probability mass of a category's prompts among all top-level category and benign prompts;
 *   a child's score is its parent's score times its share among its siblings.
 * binary: mass of a category's prompts against its own contrast prompts.
 * cosine: σ(logit_scale · max over its prompts of (cos − threshold + special-care adjustment)),
 *   so 0.5 is exactly the Stable Diffusion safety checker's boundary.
 */
export function scoreFrame(
  policy: Policy,
  prompts: readonly PromptRow[],
  sims: readonly number[],
  logitScale: number,
): PolicyScores {
  const byOwner = rowsBy(prompts);
  const categories: Record<string, CategoryScore> = {};
  const method = policy.scoring;
  const flat = flattenCategories(policy.categories);
  const topLevel = flat.filter((c) => !c.parent).flatMap((c) => byOwner('category', c.category.id));
  const benign = byOwner('benign');
  const byId = new Map(flat.map((c) => [c.category.id, c.category]));
  const global =
    method.method === 'softmax' ? softmaxOver(sims, [...topLevel, ...benign], logitScale) : undefined;

  let adjustment = 0;
  if (method.method === 'cosine' && method.special_care) {
    if (byOwner('special').some((i) => sims[i] - (prompts[i].threshold ?? method.default_threshold) > 0)) {
      adjustment = method.special_care.adjustment;
    }
  }

  for (const { category, parent } of flat) {
    const own = byOwner('category', category.id);
    const top = own.reduce((best, i) => (sims[i] > sims[best] ? i : best), own[0]);
    const base = { topPrompt: prompts[top].text, topSimilarity: sims[top], frame: 0 };
    const parentScore = parent ? categories[parent] : undefined;
    const parentCat = parent ? byId.get(parent) : undefined;
    if (
      parentScore &&
      parentCat &&
      (!parentScore.evaluated || parentScore.score < parentCat.thresholds.review)
    ) {
      categories[category.id] = { ...base, score: 0, evaluated: false };
      continue;
    }
    let score: number;
    switch (method.method) {
      case 'softmax': {
        if (!parent || !parentCat) {
          score = mass(global ?? new Map<number, number>(), own);
        } else {
          const siblings = (parentCat.children ?? []).flatMap((c) => byOwner('category', c.id));
          score = categories[parent].score * mass(softmaxOver(sims, siblings, logitScale), own);
        }
        break;
      }
      case 'binary': {
        const contrast = byOwner('contrast', category.id);
        score = mass(softmaxOver(sims, [...own, ...contrast], logitScale), own);
        break;
      }
      case 'cosine': {
        const margin = Math.max(
          ...own.map((i) => sims[i] - (prompts[i].threshold ?? method.default_threshold) + adjustment),
        );
        score = sigmoid(logitScale * margin);
        break;
      }
    }
    categories[category.id] = { ...base, score, evaluated: true };
  }

  const attributes: Record<string, AttributeProbe> = {};
  for (const attribute of policy.attributes) {
    const rowsOf = attribute.values.map((v) => byOwner('attribute', `${attribute.id}.${v.id}`));
    const probs = softmaxOver(sims, rowsOf.flat(), logitScale);
    const masses = rowsOf.map((r) => mass(probs, r));
    const best = masses.indexOf(Math.max(...masses));
    const second = Math.max(...masses.filter((_, i) => i !== best));
    attributes[attribute.id] = {
      value: attribute.values[best].id,
      confidence: masses[best],
      margin: masses[best] - second,
    };
  }
  return { categories, attributes };
}

/** Scores every frame and keeps, per category, the frame with the highest score. */
export function scoreFrames(
  policy: Policy,
  prompts: readonly PromptRow[],
  frames: readonly (readonly number[])[],
  logitScale: number,
): PolicyScores {
  const perFrame = frames.map((sims) => scoreFrame(policy, prompts, sims, logitScale));
  const result: PolicyScores = { categories: {}, attributes: perFrame[0].attributes };
  for (const id of Object.keys(perFrame[0].categories)) {
    let best = 0;
    perFrame.forEach((f, i) => {
      if (f.categories[id].score > perFrame[best].categories[id].score) best = i;
    });
    result.categories[id] = { ...perFrame[best].categories[id], frame: best };
  }
  return result;
}
