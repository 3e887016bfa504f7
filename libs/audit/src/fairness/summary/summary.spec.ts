import { FairnessError } from '../errors';
import { computeFairness } from '../figures';
import { falsePositiveTraffic, SUBJECT, times } from '../spec-support';
import { compareBaselines, parseBaseline, type FairnessBaseline } from './baseline';
import { summarizeFairness, type FairnessSummary } from './summary';

const allowLabel = { verdict: 'allow' as const, categories: [], source: 'review' as const };

/** filled: 10 of 100 flagged; outlined: flaggedOutlined of 100; every flagged outlined one allowed by a human. */
function figures(flaggedOutlined: number) {
  return computeFairness(
    [
      ...times(10, { fill: 'filled', flags: { star: 'block' } }),
      ...times(90, { fill: 'filled' }),
      ...times(flaggedOutlined, { fill: 'outlined', flags: { star: 'block' }, label: allowLabel }),
      ...times(100 - flaggedOutlined, { fill: 'outlined' }),
    ],
    SUBJECT,
  );
}

const baseline = (version: number, summary: FairnessSummary, sha = 'abc'): FairnessBaseline => ({
  v: 1,
  policy: { id: 'shapes', version, hash: `h${version}` },
  modelId: 'tiny',
  labels: { file: 'labels.csv', sha256: sha, images: 200 },
  generatedAt: '2026-03-01T00:00:00.000Z',
  summary,
});

/** Of the flagged items moderators saw, 20 of 200 filled ones were clean against 70 of 200 outlined ones. */
const falsePositiveDisparity = () =>
  computeFairness(falsePositiveTraffic({ filled: 20, outlined: 70 }), SUBJECT);

describe('fairness summary', () => {
  // Computed in each test, not at collection: Stryker credits only code run inside a test (docs/mutation-testing.md).
  let summary: FairnessSummary;
  beforeEach(() => {
    summary = summarizeFairness(figures(40));
  });

  it('keeps the counts, every alert with its interval, and per probe the most adverse ratio', () => {
    expect(summary).toMatchObject({ decisions: 200, labelled: 40, qaSampled: 0, minGroupSize: 30 });
    const fill = summary.probes.find((p) => p.probe === 'fill');
    // favoured filled (0.1) over outlined (0.4)
    expect(fill?.lowestRatio).toMatchObject({ group: 'outlined', favoured: 'filled', value: 0.25 });
    expect(fill?.groups.map((g) => [g.group, g.n, g.flagRate])).toEqual([
      ['filled', 100, 0.1],
      ['outlined', 100, 0.4],
    ]);
    expect(summary.alerts).toContainEqual(
      expect.objectContaining({ kind: 'selection_ratio', probe: 'fill', category: null, group: 'outlined' }),
    );
    const ratioAlert = summary.alerts.find((a) => a.kind === 'selection_ratio' && a.category === null);
    expect(ratioAlert?.interval.value).toBe(0.25);
    expect(ratioAlert?.interval.high).toBeLessThan(1);
  });

  it('keeps an error-rate gap alert with its interval, and each probe its gaps', () => {
    const gaps = summarizeFairness(falsePositiveDisparity());
    const alert = gaps.alerts.find((a) => a.kind === 'false_positive_gap' && a.category === null);
    expect(alert).toMatchObject({ probe: 'fill', highest: 'outlined', lowest: 'filled' });
    expect(alert).not.toHaveProperty('gap');
    expect(alert?.interval.value).toBeCloseTo(0.25, 12);
    expect(alert?.interval.low).toBeGreaterThan(0.1);
    const fill = gaps.probes.find((p) => p.probe === 'fill');
    expect(fill?.falsePositiveGap).toMatchObject({ highest: 'outlined', lowest: 'filled' });
    expect(fill?.falsePositiveGap?.value).toBeCloseTo(0.25, 12);
    expect(fill?.falseNegativeGap).toBeNull();
    expect(summary.alerts.find((a) => a.kind === 'selection_ratio')).not.toHaveProperty('ratio');
  });

  it('turns figures without observations into null, so JSON keeps them', () => {
    const size = summary.probes.find((p) => p.probe === 'size');
    expect(size).toMatchObject({ ambiguousShare: null, lowestRatio: null, falsePositiveGap: null });
    expect(size?.groups[0]).toMatchObject({ group: 'small', n: 0, tooFew: true, flagRate: null });
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });
});

describe('baseline comparison', () => {
  let v1: FairnessBaseline;
  let v2: FairnessBaseline;
  beforeEach(() => {
    v1 = baseline(1, summarizeFairness(figures(40)));
    v2 = baseline(2, summarizeFairness(figures(10)));
  });

  it("sets a version's disparity beside the previous one's", () => {
    const c = compareBaselines(v1, v2);
    expect(c).toMatchObject({ previous: { version: 1, hash: 'h1' }, sameLabels: true });
    const fill = c.probes.find((p) => p.probe === 'fill');
    expect(fill?.lowestRatio.previous?.value).toBe(0.25);
    // v2 flags both groups at 0.1: parity
    expect(fill?.lowestRatio.current?.value).toBe(1);
    expect(fill?.lowestRatio.change).toBeCloseTo(0.75, 12);
    expect(c.alerts.previous).toBeGreaterThan(0);
    expect(c.alerts.current).toBe(0);
  });

  it('has no change where either version has no figure', () => {
    const gapOnlyBefore = compareBaselines(baseline(1, summarizeFairness(falsePositiveDisparity())), v2);
    const gap = gapOnlyBefore.probes.find((p) => p.probe === 'fill')?.falsePositiveGap;
    expect(gap?.previous?.value).toBeCloseTo(0.25, 12);
    expect(gap).toMatchObject({ current: null, change: null });
    const gapOnlyAfter = compareBaselines(v2, baseline(3, summarizeFairness(falsePositiveDisparity())));
    expect(gapOnlyAfter.probes.find((p) => p.probe === 'fill')?.falsePositiveGap).toMatchObject({
      previous: null,
      change: null,
    });
  });

  it('says when there is no previous baseline or it was measured on other labels', () => {
    expect(compareBaselines(undefined, v2)).toMatchObject({
      previous: null,
      sameLabels: false,
      alerts: { previous: null },
    });
    expect(compareBaselines(baseline(1, v1.summary, 'other'), v2).sameLabels).toBe(false);
  });

  it('reads a baseline back from JSON and refuses another shape with a typed error', () => {
    expect(parseBaseline(JSON.parse(JSON.stringify(v2)), 'v2.fairness.json')).toEqual(v2);
    expect(() => parseBaseline({ v: 1, policy: { id: 'x' } }, 'x.json')).toThrow(FairnessError);
    expect(() => parseBaseline({}, 'x.json')).toThrow(
      expect.objectContaining({ code: 'BASELINE_INVALID' }) as Error,
    );
    expect(() => parseBaseline({ ...v2, policy: { id: 'x' } }, 'v2.json')).toThrow(
      /^v2\.json is not a fairness baseline: policy\.version: .*; policy\.hash: /,
    );
  });
});
