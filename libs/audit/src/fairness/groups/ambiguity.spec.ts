import { SUBJECT, times } from '../spec-support';
import { zFor } from '../stats/normal';
import { probeAmbiguity, type ProbeAmbiguity } from './ambiguity';

describe('probe ambiguity', () => {
  const fill = SUBJECT.probes[0];
  const decisions = [
    ...times(3, { fill: 'filled', margin: 0.05 }),
    ...times(1, { fill: 'filled', margin: 0.1 }), // at the level: not ambiguous
    ...times(6, { fill: 'filled', margin: 0.7 }),
    ...times(2, { fill: 'outlined', margin: 0.01 }),
    ...times(5, { fill: 'outlined' }), // recorded before probes kept a margin
    ...times(4, {}), // no probe at all
  ];
  // Computed in each test, not at collection: Stryker credits only code run inside a test (docs/mutation-testing.md).
  let a: ProbeAmbiguity;
  beforeEach(() => {
    a = probeAmbiguity(decisions, fill, 0.1, zFor(0.95));
  });

  it('counts results below the margin level among those that recorded a margin', () => {
    expect(a).toMatchObject({ level: 0.1, decisions: 17, withMargin: 12 });
    expect(a.ambiguous).toMatchObject({ count: 5, n: 12 });
    expect(a.ambiguous.value).toBeCloseTo(5 / 12, 12);
  });

  it('splits the share by the value the probe chose', () => {
    expect(a.byGroup.map((g) => [g.group, g.ambiguous.count, g.ambiguous.n])).toEqual([
      ['filled', 3, 10],
      ['outlined', 2, 2],
    ]);
  });

  it('has an empty share, not a zero, when no margin was recorded', () => {
    const none = probeAmbiguity(times(3, { fill: 'filled' }), fill, 0.1, zFor(0.95));
    expect(none.withMargin).toBe(0);
    expect(none.ambiguous.value).toBeNaN();
  });

  it('gives a value the probe does not list (an older policy version) a group of its own, after the listed ones', () => {
    const older = probeAmbiguity(
      [...times(2, { fill: 'striped', margin: 0.01 }), ...times(1, { fill: 'filled', margin: 0.5 })],
      fill,
      0.1,
      zFor(0.95),
    );
    expect(older.byGroup.map((g) => [g.group, g.ambiguous.count, g.ambiguous.n])).toEqual([
      ['filled', 0, 1],
      ['outlined', 0, 0],
      ['striped', 2, 2],
    ]);
  });
});
