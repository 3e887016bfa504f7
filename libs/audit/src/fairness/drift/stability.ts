import { scoreCounts, verdictShares, type ScoredDecision } from './daily';
import { uniformEdges } from './histogram';
import { parseDriftOptions, type DriftOptionsInput } from './options';
import { psi, type Psi } from './psi';

export interface StabilityFigure {
  /** A category id, or `null` for the verdict mix. */
  category: string | null;
  baseline: number;
  current: number;
  psi: Psi;
  drifted: boolean;
}

/**
 * PSI of each category's score distribution, and of the verdict mix, in a current window against a
 * baseline window (for example the first week after a version's activation). Levels after Siddiqi (2006), Credit Risk
 * Scorecards: below 0.1 stable, 0.1–0.25 a moderate shift, above 0.25 a significant one.
 */
export function stabilityAgainst(
  baseline: readonly ScoredDecision[],
  current: readonly ScoredDecision[],
  categories: readonly string[],
  optionsInput: DriftOptionsInput = {},
): StabilityFigure[] {
  const options = parseDriftOptions(optionsInput);
  const edges = uniformEdges(options.bins);
  const figure = (category: string | null, e: number[], a: number[]): StabilityFigure => {
    const index = psi(e, a, options.pseudoCount);
    const sum = (c: number[]) => c.reduce((x, y) => x + y, 0);
    return { category, baseline: sum(e), current: sum(a), psi: index, drifted: index.value >= options.level };
  };
  const verdictCounts = (d: readonly ScoredDecision[]) => {
    const v = verdictShares(d);
    return [v.allow.count, v.review.count, v.block.count];
  };
  return [
    figure(null, verdictCounts(baseline), verdictCounts(current)),
    ...categories.map((c) => figure(c, scoreCounts(baseline, c, edges), scoreCounts(current, c, edges))),
  ];
}
