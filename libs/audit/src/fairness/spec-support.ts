import { policySchema, seededRandom } from '@clipguard/policy';
import type { AuditedDecision, FairnessSubject, HumanLabel, Verdict } from './input';

/** Builders for the fairness specs: one-line decisions and seeded synthetic traffic. */
export const SUBJECT: FairnessSubject = {
  policy: { id: 'shapes', version: 3 },
  categories: [
    { id: 'star', title: 'Stars' },
    { id: 'red-star', title: 'Red stars', parent: 'star' },
    { id: 'circle', title: 'Circles' },
  ],
  probes: [
    { id: 'fill', title: 'Fill', values: ['filled', 'outlined'] },
    { id: 'size', title: 'Size', values: ['small', 'medium', 'large'] },
  ],
};

export interface DecisionSpec {
  fill?: string;
  size?: string;
  /** Category → what its action made of it; the verdict is the most severe. */
  flags?: Record<string, Verdict>;
  label?: HumanLabel;
  margin?: number;
  day?: string;
  scores?: Record<string, number>;
}

const RANK: Record<Verdict, number> = { allow: 0, review: 1, block: 2 };
const NOON = new Map<string, Date>();
const noonOf = (day: string) => NOON.get(day) ?? NOON.set(day, new Date(`${day}T12:00:00Z`)).get(day)!;

export function decision(spec: DecisionSpec = {}): AuditedDecision {
  const reasons = Object.entries(spec.flags ?? {}).map(([category, verdict]) => ({ category, verdict }));
  const verdict = reasons.reduce<Verdict>((v, r) => (RANK[r.verdict] > RANK[v] ? r.verdict : v), 'allow');
  const probe = (value: string) => ({
    value,
    confidence: 0.9,
    ...(spec.margin === undefined ? {} : { margin: spec.margin }),
  });
  return {
    submissionId: 'sub',
    decidedAt: noonOf(spec.day ?? '2026-01-05'),
    verdict,
    categoryScores: spec.scores ?? {},
    reasons,
    attributes: {
      ...(spec.fill ? { fill: probe(spec.fill) } : {}),
      ...(spec.size ? { size: probe(spec.size) } : {}),
    },
    ...(spec.label ? { label: spec.label } : {}),
  };
}

export const times = (n: number, spec: DecisionSpec): AuditedDecision[] =>
  Array.from({ length: n }, () => decision(spec));

export interface TrafficRates {
  /** Chance that a category is flagged, per fill group (same for every size). */
  flag: Record<string, number>;
  /** Chance that a human allows a flagged decision, per fill group. */
  falsePositive: Record<string, number>;
  /** Chance that a human blocks a QA-sampled automatic allow, per fill group. */
  falseNegative: Record<string, number>;
  qaSample: number;
}

/** Seeded synthetic traffic: fill and size drawn uniformly, outcomes at the given per-group rates. */
export function traffic(n: number, rates: TrafficRates, seed: number): AuditedDecision[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  return Array.from({ length: n }, () => {
    const fill = pick(SUBJECT.probes[0].values);
    const size = pick(SUBJECT.probes[1].values);
    const flags: Record<string, Verdict> = {};
    for (const c of ['star', 'circle'])
      if (random() < rates.flag[fill]) flags[c] = random() < 0.5 ? 'review' : 'block';
    const flagged = Object.keys(flags).length > 0;
    let label: HumanLabel | undefined;
    if (flagged) {
      const allowed = random() < rates.falsePositive[fill];
      label = {
        verdict: allowed ? 'allow' : 'block',
        categories: allowed ? [] : Object.keys(flags),
        source: 'review',
      };
    } else if (random() < rates.qaSample) {
      const blocked = random() < rates.falseNegative[fill];
      label = {
        verdict: blocked ? 'block' : 'allow',
        categories: blocked ? [pick(['star', 'circle'])] : [],
        source: 'qa',
      };
    }
    return decision({ fill, size, flags, ...(label ? { label } : {}), margin: random() });
  });
}

/**
 * Of the items flagged for circles that moderators saw, `clean` of 200 were clean (allowed), per fill; with
 * `unflagged` more decisions each that nobody looked at.
 */
export function falsePositiveTraffic(clean: Record<string, number>, unflagged = 800): AuditedDecision[] {
  return Object.entries(clean).flatMap(([fill, n]) => [
    ...times(n, {
      fill,
      flags: { circle: 'review' },
      label: { verdict: 'allow', categories: [], source: 'review' },
    }),
    ...times(200 - n, {
      fill,
      flags: { circle: 'review' },
      label: { verdict: 'block', categories: ['circle'], source: 'review' },
    }),
    ...times(unflagged, { fill }),
  ]);
}

/** A policy version with a category tree (star > red-star, circle) and one attribute probe (fill). */
export const SHAPES_POLICY = policySchema.parse({
  id: 'shapes',
  version: 4,
  description: 'test',
  model: { name: 'tiny-clip' },
  templates: ['{}'],
  scoring: { method: 'softmax' },
  benign: ['a green circle'],
  categories: [
    {
      id: 'star',
      title: 'Stars',
      severity: 'high',
      prompts: ['a star'],
      thresholds: { review: 0.5, block: 0.8 },
      children: [
        {
          id: 'red-star',
          title: 'Red stars',
          severity: 'high',
          prompts: ['a red star'],
          thresholds: { review: 0.5, block: 0.9 },
        },
      ],
    },
    {
      id: 'circle',
      title: 'Circles',
      severity: 'low',
      prompts: ['a circle'],
      thresholds: { review: 0.3, block: 0.6 },
    },
  ],
  attributes: [
    {
      id: 'fill',
      title: 'Fill',
      values: [
        { id: 'filled', prompts: ['filled'] },
        { id: 'outlined', prompts: ['outlined'] },
      ],
    },
  ],
});
