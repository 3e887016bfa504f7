import type { Policy, PromptInput, CategoryInput } from './schema';

export type PromptKind = 'category' | 'contrast' | 'benign' | 'special' | 'attribute';

export interface PromptRow {
  text: string;
  kind: PromptKind;
  /** Category id, attribute "id.value", or "" for benign prompts. */
  owner: string;
  /** Per-prompt cosine threshold (cosine method). */
  threshold?: number;
}

export interface CompiledPolicy {
  policy: Policy;
  hash: string;
  modelId: string;
  prompts: PromptRow[];
  /** One unit vector per prompt row: the template ensemble of that prompt. */
  embeddings: Float32Array[];
}

const rows = (prompts: PromptInput[] | undefined, kind: PromptKind, owner: string): PromptRow[] =>
  (prompts ?? []).map((p) =>
    typeof p === 'string' ? { text: p, kind, owner } : { text: p.text, kind, owner, threshold: p.threshold },
  );

function categoryRows(cats: CategoryInput[]): PromptRow[] {
  return cats.flatMap((c) => [
    ...rows(c.prompts, 'category', c.id),
    ...rows(c.contrast, 'contrast', c.id),
    ...categoryRows(c.children ?? []),
  ]);
}

/** Every prompt the policy scores with, in a stable order. Pure: the plan for compilation. */
export function planPrompts(policy: Policy): PromptRow[] {
  return [
    ...categoryRows(policy.categories),
    ...rows(policy.benign, 'benign', ''),
    ...(policy.scoring.method === 'cosine' ? rows(policy.scoring.special_care?.prompts, 'special', '') : []),
    ...policy.attributes.flatMap((a) =>
      a.values.flatMap((v) => rows(v.prompts, 'attribute', `${a.id}.${v.id}`)),
    ),
  ];
}

/** Every category, parents before children, with its parent's id. */
export function flattenCategories(
  cats: CategoryInput[],
  parent?: string,
): { category: CategoryInput; parent?: string }[] {
  return cats.flatMap((c) => [{ category: c, parent }, ...flattenCategories(c.children ?? [], c.id)]);
}

/** Embeds every prompt with the policy's template ensemble. `embedPrompts` is the engine's ensemble embedder. */
export async function compilePolicy(
  policy: Policy,
  hash: string,
  modelId: string,
  embedPrompts: (texts: string[], templates: readonly string[]) => Promise<Float32Array[]>,
): Promise<CompiledPolicy> {
  const prompts = planPrompts(policy);
  const embeddings = await embedPrompts(
    prompts.map((p) => p.text),
    policy.templates,
  );
  return { policy, hash, modelId, prompts, embeddings };
}
