import { parseReasons } from './fairness-rows';

describe('parseReasons', () => {
  it('keeps the policy’s category reasons of a decision a bank decided, leaving the bank’s reason out', () => {
    const stored = [
      { kind: 'bank', bank: 'known-bad', entry: 'e1', match: 'pdq', distance: 4, verdict: 'block' },
      { category: 'star', verdict: 'review', score: 0.4, threshold: 'review' },
    ];
    expect(parseReasons(stored)).toEqual([{ category: 'star', verdict: 'review' }]);
  });

  it('reads a missing or malformed list as no reasons', () => {
    expect(parseReasons(undefined)).toEqual([]);
    expect(parseReasons('not a list')).toEqual([]);
  });
});
