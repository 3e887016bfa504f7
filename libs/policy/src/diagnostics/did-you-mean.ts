import { distance } from 'fastest-levenshtein';

/**
 * The candidate a misspelt word most likely meant: the nearest by edit distance, if it is within a third
 * of the word's length (at least one edit), so unrelated words get no suggestion.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.round(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance && d <= limit) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
