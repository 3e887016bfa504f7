import type { AuditedDecision, ProbeRef } from '../input';
import { wilson, type Rate } from '../stats/intervals';

export interface ProbeAmbiguity {
  /** Results whose margin is below this are ambiguous. */
  level: number;
  /** Decisions that carry the probe at all, and those of them that recorded a margin. */
  decisions: number;
  withMargin: number;
  ambiguous: Rate;
  byGroup: { group: string; ambiguous: Rate }[];
}

/** How often the probe's top value barely beat the runner-up, overall and per top value. */
export function probeAmbiguity(
  decisions: readonly AuditedDecision[],
  probe: ProbeRef,
  level: number,
  z: number,
): ProbeAmbiguity {
  const tallies = new Map(probe.values.map((v) => [v, { count: 0, n: 0 }]));
  const all = { count: 0, n: 0 };
  let carrying = 0;
  for (const d of decisions) {
    const reading = d.attributes[probe.id];
    if (!reading) continue;
    carrying++;
    if (reading.margin === undefined) continue;
    let t = tallies.get(reading.value);
    if (!t) tallies.set(reading.value, (t = { count: 0, n: 0 }));
    const hit = reading.margin < level ? 1 : 0;
    t.n++;
    t.count += hit;
    all.n++;
    all.count += hit;
  }
  return {
    level,
    decisions: carrying,
    withMargin: all.n,
    ambiguous: wilson(all, z),
    byGroup: [...tallies].map(([group, t]) => ({ group, ambiguous: wilson(t, z) })),
  };
}
