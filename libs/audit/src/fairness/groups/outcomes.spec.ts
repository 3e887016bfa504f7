import { decision, SUBJECT } from '../spec-support';
import { categoryOutcome, descendantsOf, overallOutcome, type OutcomeOf } from './outcomes';

describe('overall outcome', () => {
  it('counts a flag-only category as flagged without changing the verdict', () => {
    expect(overallOutcome(decision({ flags: { circle: 'allow' } }))).toEqual({
      flagged: true,
      review: false,
      block: false,
    });
  });

  it('is a false-positive candidate when a human saw what the policy sent to review or blocked', () => {
    const allowed = decision({
      flags: { star: 'block' },
      label: { verdict: 'allow', categories: [], source: 'review' },
    });
    const upheld = decision({
      flags: { star: 'review' },
      label: { verdict: 'block', categories: ['star'], source: 'review' },
    });
    expect(overallOutcome(allowed)).toMatchObject({ block: true, falsePositive: true });
    expect(overallOutcome(upheld)).toMatchObject({ review: true, falsePositive: false });
    expect(overallOutcome(allowed).falseNegative).toBeUndefined();
  });

  it('is a false-negative candidate only for automatic allows in the QA sample', () => {
    const missed = decision({ label: { verdict: 'block', categories: ['star'], source: 'qa' } });
    const banded = decision({ label: { verdict: 'block', categories: ['star'], source: 'review' } });
    expect(overallOutcome(missed)).toMatchObject({ flagged: false, falseNegative: true });
    expect(overallOutcome(missed).falsePositive).toBeUndefined();
    expect(overallOutcome(banded).falseNegative).toBeUndefined();
    expect(overallOutcome(decision())).toEqual({ flagged: false, review: false, block: false });
    const cleared = decision({ label: { verdict: 'allow', categories: [], source: 'qa' } });
    expect(overallOutcome(cleared).falseNegative).toBe(false);
    // a QA label on a flagged decision is no false-negative candidate: nothing was missed
    const flaggedQa = decision({
      flags: { star: 'block' },
      label: { verdict: 'block', categories: ['star'], source: 'qa' },
    });
    expect(overallOutcome(flaggedQa).falseNegative).toBeUndefined();
  });
});

describe('category outcome', () => {
  // Built in each test, not at collection: Stryker credits only code run inside a test (docs/mutation-testing.md).
  let below: Map<string, Set<string>>;
  let star: OutcomeOf;
  beforeEach(() => {
    below = descendantsOf(SUBJECT);
    star = categoryOutcome('star', below.get('star') ?? new Set());
  });

  it('follows parents up any number of levels', () => {
    const deep = descendantsOf({
      ...SUBJECT,
      categories: [
        { id: 'shape', title: 'Shapes' },
        { id: 'star', title: 'Stars', parent: 'shape' },
        { id: 'red-star', title: 'Red stars', parent: 'star' },
      ],
    });
    expect([...(deep.get('shape') ?? [])].sort()).toEqual(['red-star', 'shape', 'star']);
  });

  it('knows each category with everything below it', () => {
    expect([...(below.get('star') ?? [])].sort()).toEqual(['red-star', 'star']);
    expect([...(below.get('red-star') ?? [])]).toEqual(['red-star']);
  });

  it("reads the category's own reason, not the decision's verdict", () => {
    const d = decision({ flags: { star: 'review', circle: 'block' } });
    expect(star(d)).toEqual({ flagged: true, review: true, block: false });
    expect(star(decision({ flags: { star: 'block' } }))).toEqual({
      flagged: true,
      review: false,
      block: true,
    });
    expect(star(decision({ flags: { circle: 'block' } }))).toEqual({
      flagged: false,
      review: false,
      block: false,
    });
  });

  it('takes a labelled child as the parent found, so a flagged parent is no false positive', () => {
    const d = decision({
      flags: { star: 'block' },
      label: { verdict: 'block', categories: ['red-star'], source: 'review' },
    });
    expect(star(d).falsePositive).toBe(false);
    const other = decision({
      flags: { star: 'block' },
      label: { verdict: 'block', categories: ['circle'], source: 'review' },
    });
    expect(star(other).falsePositive).toBe(true);
  });

  it('is a false negative when a QA sample did not flag the category and the human found it', () => {
    const blockedForCircle = decision({
      flags: { circle: 'block' },
      label: { verdict: 'block', categories: ['circle', 'star'], source: 'qa' },
    });
    expect(star(blockedForCircle)).toMatchObject({ flagged: false, falseNegative: true });
    const clean = decision({ label: { verdict: 'allow', categories: [], source: 'qa' } });
    expect(star(clean).falseNegative).toBe(false);
  });
});
