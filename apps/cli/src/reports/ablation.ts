import type { ClipEngine } from '@clipguard/clip';
import {
  averagePrecision,
  categoryTruth,
  flattenCategories,
  type CompiledPolicy,
  type LabelledResult,
} from '@clipguard/policy';
import { scoreEmbeddings } from '../moderation';

export interface PromptAblation {
  category: string;
  prompt: string;
  averagePrecision: number;
  /** AP with every prompt minus AP without this one: positive means the prompt helps. */
  contribution: number;
}

/** Drop-one-prompt ablation: re-scores (no re-encoding) without each category prompt in turn. */
export function ablatePrompts(
  engine: ClipEngine,
  compiled: CompiledPolicy,
  results: readonly LabelledResult[],
  embeddings: ReadonlyMap<string, Float32Array[]>,
): PromptAblation[] {
  const frames = results.map((r) => embeddings.get(r.path) ?? []);
  const truths = categoryTruth(compiled.policy, results);
  const out: PromptAblation[] = [];
  for (const { category } of flattenCategories(compiled.policy.categories)) {
    const truth = truths.get(category.id) ?? [];
    if (!truth.some(Boolean)) continue;
    const full = averagePrecision(
      results.map((r) => r.scores.categories[category.id].score),
      truth,
    );
    const own = compiled.prompts.flatMap((p, i) =>
      p.kind === 'category' && p.owner === category.id ? [i] : [],
    );
    if (own.length < 2) continue;
    for (const drop of own) {
      const reduced: CompiledPolicy = {
        ...compiled,
        prompts: compiled.prompts.filter((_, i) => i !== drop),
        embeddings: compiled.embeddings.filter((_, i) => i !== drop),
      };
      const scores = frames.map((f) => scoreEmbeddings(engine, reduced, f).categories[category.id].score);
      const ap = averagePrecision(scores, truth);
      out.push({
        category: category.id,
        prompt: compiled.prompts[drop].text,
        averagePrecision: ap,
        contribution: full - ap,
      });
    }
  }
  // Largest effect first, whichever way: a prompt that hurts matters as much as one that carries the category.
  return out.sort(
    (a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.category.localeCompare(b.category),
  );
}
