import { computeFairness } from './figures';
import { SUBJECT, traffic, type TrafficRates } from './spec-support';

// Statistical acceptance of the alert rules on seeded traffic: slow (a few seconds each), so the mutation runs
// (test/mutation/jest.config.js) leave this file out and every mutant must be caught by a unit spec.

const EQUAL: TrafficRates = {
  flag: { filled: 0.05, outlined: 0.05 },
  falsePositive: { filled: 0.3, outlined: 0.3 },
  falseNegative: { filled: 0.05, outlined: 0.05 },
  qaSample: 0.1,
};

describe('alerts on seeded traffic', () => {
  it('raises nothing in at least 95 of 100 seeded simulations of pure noise with equal rates', () => {
    let alarmed = 0;
    for (let seed = 1; seed <= 100; seed++) {
      if (computeFairness(traffic(3000, EQUAL, seed), SUBJECT).alerts.length > 0) alarmed++;
    }
    expect(alarmed).toBeLessThanOrEqual(5);
  });

  it('detects a group flagged 2.25 times as often in at least 95 of 100 seeded simulations', () => {
    const unequal = { ...EQUAL, flag: { filled: 0.04, outlined: 0.09 } };
    let detected = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const alerts = computeFairness(traffic(5000, unequal, seed), SUBJECT).alerts;
      if (alerts.some((a) => a.kind === 'selection_ratio' && a.category === null && a.group === 'outlined'))
        detected++;
    }
    expect(detected).toBeGreaterThanOrEqual(95);
  });
});
