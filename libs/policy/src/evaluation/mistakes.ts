import type { Verdict } from '@clipguard/contracts';

export interface Mistake {
  path: string;
  category: string;
  score: number;
  verdict: Verdict;
}

interface Scored {
  path: string;
  truth: string[];
  verdict: Verdict;
  scores: { categories: Record<string, { score: number } | undefined> };
}

const scoreOf = (r: Scored, id: string) => r.scores.categories[id]?.score ?? 0;

/**
 * Verdict-level mistakes: clean images flagged (by their top category, highest first) and harmful images
 * allowed (by their weakest labelled category, lowest first).
 */
export function verdictMistakes(
  ids: readonly string[],
  results: readonly Scored[],
  limit: number,
): { falsePositives: Mistake[]; falseNegatives: Mistake[] } {
  const falsePositives = results
    .filter((r) => r.truth.length === 0 && r.verdict !== 'allow')
    .map((r) => {
      const top = ids.reduce((a, b) => (scoreOf(r, b) > scoreOf(r, a) ? b : a));
      return { path: r.path, category: top, score: scoreOf(r, top), verdict: r.verdict };
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
  const falseNegatives = results
    .filter((r) => r.truth.length > 0 && r.verdict === 'allow')
    .map((r) => {
      const known = r.truth.filter((c) => r.scores.categories[c]);
      const worst = known.reduce((a, b) => (scoreOf(r, b) < scoreOf(r, a) ? b : a), known[0] ?? r.truth[0]);
      return { path: r.path, category: worst, score: scoreOf(r, worst), verdict: r.verdict };
    })
    .sort((a, b) => a.score - b.score)
    .slice(0, limit);
  return { falsePositives, falseNegatives };
}

/**
 * One category's mistakes at its review threshold, whatever the overall verdict: negatives that reach it
 * (highest first) and positives that stay under it (lowest first), so a miss hidden by another category's
 * flag still shows.
 */
export function categoryMistakes(
  id: string,
  results: readonly Scored[],
  truth: readonly boolean[],
  reviewThreshold: number,
  limit: number,
): { falsePositives: Mistake[]; falseNegatives: Mistake[] } {
  const rows = results.map((r, i) => ({
    path: r.path,
    category: id,
    score: scoreOf(r, id),
    verdict: r.verdict,
    positive: truth[i],
  }));
  const strip = ({ positive: _, ...m }: (typeof rows)[number]): Mistake => m;
  return {
    falsePositives: rows
      .filter((r) => !r.positive && r.score >= reviewThreshold)
      .sort((a, b) => b.score - a.score)
      .slice(0, limit)
      .map(strip),
    falseNegatives: rows
      .filter((r) => r.positive && r.score < reviewThreshold)
      .sort((a, b) => a.score - b.score)
      .slice(0, limit)
      .map(strip),
  };
}
