import type { AuditedDecision, ProbeRef } from '../input';
import { wilson, type Rate, type Tally } from '../stats/intervals';
import type { Outcome, OutcomeOf } from './outcomes';

export interface GroupTallies {
  group: string;
  n: number;
  flag: Tally;
  review: Tally;
  block: Tally;
  falsePositive: Tally;
  falseNegative: Tally;
}

/** A rate with its interval, and whether it rests on too few observations to ever alert. */
export interface MeasuredRate extends Rate {
  tooFew: boolean;
}

export interface GroupRates {
  group: string;
  n: number;
  tooFew: boolean;
  flag: MeasuredRate;
  review: MeasuredRate;
  block: MeasuredRate;
  falsePositive: MeasuredRate;
  falseNegative: MeasuredRate;
}

const emptyTallies = (group: string): GroupTallies => ({
  group,
  n: 0,
  flag: { count: 0, n: 0 },
  review: { count: 0, n: 0 },
  block: { count: 0, n: 0 },
  falsePositive: { count: 0, n: 0 },
  falseNegative: { count: 0, n: 0 },
});

const count = (t: Tally, hit: boolean | undefined) => {
  if (hit === undefined) return;
  t.n++;
  if (hit) t.count++;
};

function add(t: GroupTallies, o: Outcome): void {
  t.n++;
  count(t.flag, o.flagged);
  count(t.review, o.review);
  count(t.block, o.block);
  count(t.falsePositive, o.falsePositive);
  count(t.falseNegative, o.falseNegative);
}

/** Tallies of one slice for every decision together (MetricFrame's `overall`). */
export function tallyAll(decisions: readonly AuditedDecision[], outcome: OutcomeOf): GroupTallies {
  const t = emptyTallies('(all)');
  for (const d of decisions) add(t, outcome(d));
  return t;
}

/**
 * Tallies of one slice per value of one attribute probe (MetricFrame's `by_group`): the probe's values in
 * policy order, then any other value found in the decisions. Decisions without the probe are left out.
 */
export function tallyByGroup(
  decisions: readonly AuditedDecision[],
  probe: ProbeRef,
  outcome: OutcomeOf,
): GroupTallies[] {
  const groups = new Map(probe.values.map((v) => [v, emptyTallies(v)]));
  for (const d of decisions) {
    const value = d.attributes[probe.id]?.value;
    if (value === undefined) continue;
    let t = groups.get(value);
    if (!t) groups.set(value, (t = emptyTallies(value)));
    add(t, outcome(d));
  }
  return [...groups.values()];
}

export function groupRates(t: GroupTallies, z: number, minGroupSize: number): GroupRates {
  const measure = (tally: Tally): MeasuredRate => ({ ...wilson(tally, z), tooFew: tally.n < minGroupSize });
  return {
    group: t.group,
    n: t.n,
    tooFew: t.n < minGroupSize,
    flag: measure(t.flag),
    review: measure(t.review),
    block: measure(t.block),
    falsePositive: measure(t.falsePositive),
    falseNegative: measure(t.falseNegative),
  };
}
