import { policySchema } from '@clipguard/policy';
import { FairnessError } from '../errors';
import type { AuditedDecision } from '../input';
import { decision, SHAPES_POLICY } from '../spec-support';
import { thresholdChanges } from './evidence';
import type { CalibrationOptionsInput } from './options';
import { calibrateThresholds } from './thresholds';

const policy = SHAPES_POLICY;

const labelled = (score: number, found: string[]): AuditedDecision =>
  decision({
    scores: { star: score, 'red-star': 0, circle: 0.1 },
    label: { verdict: found.length ? 'block' : 'allow', categories: found, source: 'review' },
  });

// Stars found at .90 .85 … .45 (10); not found at .62, .52, .40, .35, .30 and 25 at .10 (30).
// Precision from the top: .90–.65 → 1 (6/6); .62 → 6/7; .60 → 7/8; .55 → 8/9 = .889; .52 → .8; .50 → 9/11;
// .45 → 10/12. Recall reaches .8 at .55 and 1 at .45.
const POSITIVE = [0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45];
const NEGATIVE = [0.62, 0.52, 0.4, 0.35, 0.3, ...Array<number>(25).fill(0.1)];
const data = [
  ...POSITIVE.map((s, i) => labelled(s, i % 2 ? ['star'] : ['red-star'])),
  ...NEGATIVE.map((s) => labelled(s, [])),
  decision({ scores: { star: 0.99 } }), // unlabelled: not evidence
];
const star = (c: ReturnType<typeof calibrateThresholds>) => c.categories[0];
const allowLabel = { verdict: 'allow' as const, categories: [], source: 'review' as const };

describe('calibration from moderator labels', () => {
  it('finds the lowest threshold whose precision reaches the target, on the labels it rests on', () => {
    const c = calibrateThresholds(policy, data, { target: { precision: 0.85 } });
    expect(c.labelled).toBe(40);
    expect(star(c)).toMatchObject({
      status: 'calibrated',
      category: 'star',
      threshold: 'review',
      current: 0.5,
      proposed: 0.55,
      labels: 40,
      positives: 10,
      recall: 0.8,
    });
    const found = star(c);
    expect(found.status === 'calibrated' && found.precision).toBeCloseTo(8 / 9, 10);
    expect(star(calibrateThresholds(policy, data, { target: { precision: 0.9 } }))).toMatchObject({
      proposed: 0.65,
      recall: 0.6,
    });
  });

  it('finds the highest threshold whose recall reaches a target recall', () => {
    expect(star(calibrateThresholds(policy, data, { target: { recall: 0.8 } }))).toMatchObject({
      proposed: 0.55,
    });
    expect(star(calibrateThresholds(policy, data, { target: { recall: 1 } }))).toMatchObject({
      proposed: 0.45,
      recall: 1,
    });
  });

  it('gives the threshold a reproducible bootstrap interval around it', () => {
    const a = star(calibrateThresholds(policy, data, { target: { precision: 0.85 }, resamples: 300 }));
    const b = star(calibrateThresholds(policy, data, { target: { precision: 0.85 }, resamples: 300 }));
    if (a.status !== 'calibrated') throw new Error('expected a calibration');
    expect(a.interval.value).toBe(0.55);
    expect(a.interval.low).toBeLessThanOrEqual(0.55);
    expect(a.interval.high).toBeGreaterThanOrEqual(0.55);
    expect(a.interval.high).toBeGreaterThan(a.interval.low);
    expect(b).toEqual(a);
  });

  it('counts a labelled child as the parent found', () => {
    const onlyChildren = [
      ...POSITIVE.map((s) => labelled(s, ['red-star'])),
      ...NEGATIVE.map((s) => labelled(s, [])),
    ];
    expect(star(calibrateThresholds(policy, onlyChildren, { target: { precision: 0.85 } }))).toMatchObject({
      positives: 10,
      proposed: 0.55,
    });
  });

  it('rounds down to four decimals when the target still holds there', () => {
    const odd = data.map((d, i) =>
      i === 5 ? { ...d, categoryScores: { ...d.categoryScores, star: 0.654321 } } : d,
    );
    expect(star(calibrateThresholds(policy, odd, { target: { precision: 0.9 } }))).toMatchObject({
      proposed: 0.6543,
    });
  });

  it('refuses, with a reason and the counts, where the labels cannot carry a threshold', () => {
    const refused = (
      input: AuditedDecision[],
      target: CalibrationOptionsInput['target'] = { precision: 0.85 },
      threshold: 'review' | 'block' = 'review',
    ) => star(calibrateThresholds(policy, input, { target, threshold }));
    expect(refused(data.slice(0, 29))).toMatchObject({
      status: 'refused',
      reason: 'too_few_labels',
      labels: 29,
      message: '29 labelled items, at least 30 needed',
    });
    expect(refused(data.slice(0, 30))).toMatchObject({ labels: 30, status: 'calibrated' });
    expect(refused([...data.slice(1, 10), ...data.slice(10)])).toMatchObject({
      status: 'refused',
      reason: 'too_few_positives',
      positives: 9,
      message: 'found in 9 labelled items, at least 10 needed',
    });
    expect(refused([labelled(0.95, []), ...data], { precision: 1 })).toMatchObject({
      status: 'refused',
      reason: 'target_unreachable',
      message: 'no threshold reaches {"precision":1}',
    });
    // a recall of 1 needs .45, which as the block threshold would sit below the review threshold .5
    expect(refused(data, { recall: 1 }, 'block')).toMatchObject({
      status: 'refused',
      reason: 'crosses_other_threshold',
      message: 'block 0.45 would cross the other threshold 0.5',
    });
  });

  it('keeps the exact threshold where rounding down would miss the target, and rounds at the target itself', () => {
    // a clean item at .65 sits just below the positive at .65005: .6500 would let it in (precision 6/7)
    const tight = [
      ...data.map((d, i) => (i === 5 ? { ...d, categoryScores: { ...d.categoryScores, star: 0.65005 } } : d)),
      labelled(0.65, []),
    ];
    expect(star(calibrateThresholds(policy, tight, { target: { precision: 1 } }))).toMatchObject({
      proposed: 0.65005,
    });
    // rounded down, precision is still exactly the target 1: rounded
    const odd = data.map((d, i) =>
      i === 5 ? { ...d, categoryScores: { ...d.categoryScores, star: 0.654321 } } : d,
    );
    expect(star(calibrateThresholds(policy, odd, { target: { precision: 1 } }))).toMatchObject({
      proposed: 0.6543,
    });
    // a recall target: rounding down keeps the recall it had (the 8th positive, .556789)
    const recallOdd = data.map((d, i) =>
      i === 7 ? { ...d, categoryScores: { ...d.categoryScores, star: 0.556789 } } : d,
    );
    expect(star(calibrateThresholds(policy, recallOdd, { target: { recall: 0.8 } }))).toMatchObject({
      proposed: 0.5567,
    });
  });

  it('leaves out labelled items that did not score the category (an older policy version)', () => {
    const older = [...data, ...Array.from({ length: 5 }, () => decision({ label: allowLabel }))];
    const c = calibrateThresholds(policy, older, { target: { precision: 0.85 } });
    expect(c.labelled).toBe(45);
    expect(star(c)).toMatchObject({ labels: 40, positives: 10, proposed: 0.55 });
  });

  it('lets a threshold meet the other one, but not cross it', () => {
    // recall .9 needs .5: as the block threshold, that meets review (.5) without crossing it
    expect(
      star(calibrateThresholds(policy, data, { target: { recall: 0.9 }, threshold: 'block' })),
    ).toMatchObject({ status: 'calibrated', threshold: 'block', proposed: 0.5 });
    const lowBlock = (block: number) =>
      policySchema.parse({
        ...policy,
        categories: policy.categories.map((c) =>
          c.id === 'star' ? { ...c, thresholds: { review: 0.5, block } } : c,
        ),
      });
    // precision 1 needs .65 as the review threshold
    expect(star(calibrateThresholds(lowBlock(0.65), data, { target: { precision: 1 } }))).toMatchObject({
      status: 'calibrated',
      proposed: 0.65,
    });
    expect(star(calibrateThresholds(lowBlock(0.6), data, { target: { precision: 1 } }))).toMatchObject({
      status: 'refused',
      reason: 'crosses_other_threshold',
      message: 'review 0.65 would cross the other threshold 0.6',
    });
  });

  it('refuses bad options with a typed error', () => {
    expect(() => calibrateThresholds(policy, data, { target: { precision: 1.5 } })).toThrow(FairnessError);
    expect(() => calibrateThresholds(policy, data, { target: { precision: 1.5 } })).toThrow(
      expect.objectContaining({
        code: 'CALIBRATION_OPTIONS_INVALID',
        message: expect.stringMatching(/^invalid calibration options: target/) as string,
      }) as Error,
    );
  });
});

describe('threshold changes for the draft', () => {
  it('lists only calibrated thresholds that move, each with its evidence', () => {
    const c = calibrateThresholds(policy, data, { target: { precision: 0.85 }, resamples: 200 });
    const changes = thresholdChanges(c);
    expect(changes.map((ch) => [ch.category, ch.threshold, ch.to])).toEqual([['star', 'review', 0.55]]);
    expect(thresholdChanges(calibrateThresholds(policy, data, { target: { recall: 0.9 } }))).toEqual([]);
    const byRecall = thresholdChanges(calibrateThresholds(policy, data, { target: { recall: 0.8 } }));
    expect(byRecall[0].evidence).toMatch(/^0\.5 → 0\.55 for recall ≥ 0\.8 on 40 moderator labels/);
    expect(changes[0].evidence).toMatch(
      /^0\.5 → 0\.55 for precision ≥ 0\.85 on 40 moderator labels \(10 with the category\) of v4: precision 0\.889, recall 0\.800; bootstrap 95% interval of the threshold \[0\.\d{4}, 0\.\d{4}\]$/,
    );
  });
});
