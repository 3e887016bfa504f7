import { parseBanks, parseReasons } from './fairness-rows';

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

describe('parseBanks', () => {
  const recorded = {
    revision: 5,
    checked: [{ bankId: 'b', kind: 'pdq', revision: 2, entries: 9, matches: 1 }],
    matches: [
      { bankId: 'b', bankTitle: 'B', kind: 'pdq', action: 'block', entryId: 'e', threshold: 31, distance: 3 },
    ],
    decided_by: 'bank',
    policy_verdict: 'review',
  };

  it('reads the bank outcome a decision recorded, for a replay to apply again', () => {
    expect(parseBanks(recorded)).toEqual({
      banks: { revision: 5, checked: recorded.checked, matches: recorded.matches },
    });
  });

  it('gives nothing for a decision without banks or with an unreadable record', () => {
    expect(parseBanks(null)).toEqual({});
    expect(parseBanks({ revision: 'x' })).toEqual({});
  });
});
