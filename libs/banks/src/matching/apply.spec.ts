import type { DecideBanks } from '@clipguard/contracts';
import type { Decision, Verdict } from '@clipguard/decision';
import { applyBanks } from './apply';

const policy = (verdict: Verdict): Decision => ({
  verdict,
  safetyScore: 0.2,
  flagged: verdict !== 'allow',
  categories: { red: verdict !== 'allow' },
  categoryScores: { red: 0.8 },
  reasons: [],
  attributes: {},
  policy: { id: 'shapes', version: 1, hash: 'h' },
  modelId: 'm',
});
const banks = (...actions: Array<'block' | 'review' | 'allow'>): DecideBanks => ({
  revision: 9,
  checked: [{ bankId: 'b', kind: 'embedding', revision: 4, entries: 3, matches: actions.length }],
  matches: actions.map((action, i) => ({
    bankId: `${action}-bank`,
    bankTitle: action,
    kind: 'embedding' as const,
    action,
    entryId: `e${i}`,
    threshold: 0.9,
    similarity: 0.95,
  })),
  match_ms: 1,
});

describe('applyBanks', () => {
  it('leaves a decision without a bank outcome as it is', () => {
    const d = policy('block');
    expect(applyBanks(d, undefined)).toEqual({ decision: d });
  });

  it('takes the first (most decisive) match and keeps the policy’s scores', () => {
    const out = applyBanks(policy('block'), banks('allow', 'review'));
    expect(out.decision).toMatchObject({ verdict: 'allow', categoryScores: { red: 0.8 }, safetyScore: 0.2 });
    expect(out.reason).toEqual({
      kind: 'bank',
      bank: 'allow-bank',
      bank_title: 'allow',
      entry: 'e0',
      match: 'embedding',
      action: 'allow',
      threshold: 0.9,
      similarity: 0.95,
      verdict: 'allow',
      rule: 'allow-bank-overrides-policy',
    });
    expect(out.banks).toMatchObject({ revision: 9, decided_by: 'bank', policy_verdict: 'block' });
  });

  it('names a review bank outranked by a policy block, deciding nothing', () => {
    const out = applyBanks(policy('block'), banks('review'));
    expect(out.decision.verdict).toBe('block');
    expect(out.reason).toMatchObject({ rule: 'policy-block-outranks-review-bank', verdict: 'block' });
    expect(out.banks).toMatchObject({ decided_by: 'policy' });
  });

  it('records banks checked without a match, and gives no reason', () => {
    const out = applyBanks(policy('review'), banks());
    expect(out.decision.verdict).toBe('review');
    expect(out.reason).toBeUndefined();
    expect(out.banks).toMatchObject({ checked: [{ bankId: 'b', revision: 4 }], rule: 'policy', matches: [] });
  });
});
