import type { Decision, Verdict } from '@clipguard/decision';
import { flattenCategories, type CompiledPolicy } from '@clipguard/policy';

export interface DiffRow {
  path: string;
  truth?: string[];
  a: Decision;
  b: Decision;
}

interface CategoryRule {
  thresholds: { review: number; block: number };
  action: 'block' | 'review' | 'flag';
}

const rules = (p: CompiledPolicy) =>
  new Map<string, CategoryRule>(
    flattenCategories(p.policy.categories).map((c) => [c.category.id, c.category]),
  );

/**
 * A category's verdict in a decision and what made it: `block(0.6)` for the threshold crossed,
 * `review(action review)` when the action capped a higher one, `allow(<0.4)` below review.
 */
function categoryVerdict(
  d: Decision,
  id: string,
  rule: CategoryRule | undefined,
): { verdict: Verdict; label: string } {
  const reason = d.reasons.find((r) => r.category === id);
  if (!reason) return { verdict: 'allow', label: `allow(<${rule?.thresholds.review ?? '?'})` };
  const capped = reason.verdict !== reason.threshold;
  return {
    verdict: reason.verdict,
    label: capped
      ? `${reason.verdict}(action ${rule?.action ?? reason.verdict})`
      : `${reason.verdict}(${reason.thresholdValue})`,
  };
}

/**
 * Why an image's verdict changed, one entry per category whose own verdict changed:
 * `star 0.62: review(0.4) → block(0.6)` (with `0.55→0.62` when the score itself moved).
 */
export function changeReasons(row: DiffRow, pa: CompiledPolicy, pb: CompiledPolicy): string[] {
  const [ra, rb] = [rules(pa), rules(pb)];
  const ids = new Set([...Object.keys(row.a.categoryScores), ...Object.keys(row.b.categoryScores)]);
  const out: string[] = [];
  for (const id of ids) {
    const va = categoryVerdict(row.a, id, ra.get(id));
    const vb = categoryVerdict(row.b, id, rb.get(id));
    if (va.verdict === vb.verdict) continue;
    const [sa, sb] = [row.a.categoryScores[id], row.b.categoryScores[id]];
    const score =
      sa === undefined || sb === undefined || sa.toFixed(2) === sb.toFixed(2)
        ? (sb ?? sa ?? 0).toFixed(2)
        : `${sa.toFixed(2)}→${sb.toFixed(2)}`;
    out.push(`${id} ${score}: ${va.label} → ${vb.label}`);
  }
  return out;
}

export interface DiffSummary {
  images: number;
  changed: number;
  unchanged: number;
  /** Only the transitions that change a verdict. */
  transitions: Record<string, number>;
  volumes: Record<'a' | 'b', { reviewQueue: number; autoBlock: number }>;
  fixed?: number;
  broken?: number;
}

export function summarize(rows: readonly DiffRow[]): DiffSummary {
  const transitions: Record<string, number> = {};
  const volumes = { a: { reviewQueue: 0, autoBlock: 0 }, b: { reviewQueue: 0, autoBlock: 0 } };
  let fixed = 0;
  let broken = 0;
  for (const r of rows) {
    for (const side of ['a', 'b'] as const) {
      if (r[side].verdict === 'review') volumes[side].reviewQueue++;
      if (r[side].verdict === 'block') volumes[side].autoBlock++;
    }
    if (r.a.verdict !== r.b.verdict) {
      const k = `${r.a.verdict}→${r.b.verdict}`;
      transitions[k] = (transitions[k] ?? 0) + 1;
    }
    if (r.truth) {
      const ok = (v: Verdict) => (r.truth?.length ? v !== 'allow' : v === 'allow');
      if (!ok(r.a.verdict) && ok(r.b.verdict)) fixed++;
      if (ok(r.a.verdict) && !ok(r.b.verdict)) broken++;
    }
  }
  const changed = rows.filter((r) => r.a.verdict !== r.b.verdict).length;
  const labelled = rows.some((r) => r.truth);
  return {
    images: rows.length,
    changed,
    unchanged: rows.length - changed,
    transitions,
    volumes,
    ...(labelled ? { fixed, broken } : {}),
  };
}

/** Why comparing these two files may be pointless or a sign of an edited shipped version. */
export function sameVersionWarning(pa: CompiledPolicy, pb: CompiledPolicy): string | undefined {
  const name = (p: CompiledPolicy) => `${p.policy.id} v${p.policy.version}`;
  if (name(pa) !== name(pb)) return undefined;
  if (pa.hash === pb.hash) return `both sides are ${name(pa)} (same sha256): nothing can change`;
  return `both files say ${name(pa)} but their contents differ (sha256:${pa.hash.slice(0, 12)} vs ${pb.hash.slice(0, 12)}): was a shipped version edited instead of copied to a new version?`;
}
