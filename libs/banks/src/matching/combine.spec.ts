import type { Verdict } from '@clipguard/decision';
import { pdqFromHex } from '../pdq/pdq-hash';
import { combineWithPolicy } from './combine';
import { unitVector, type EntryValue } from './entry';
import { matchBanks } from './match';
import { indexed, makeBank } from './testing';

const SHA = 'b'.repeat(64);
const HEX = 'd8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22';
const VEC = Float32Array.from({ length: 8 }, (_, i) => (i === 0 ? 1 : 0));
const VALUES: Record<'sha256' | 'pdq' | 'embedding', EntryValue> = {
  sha256: { kind: 'sha256', sha256: SHA },
  pdq: { kind: 'pdq', hash: pdqFromHex(HEX), quality: 100 },
  embedding: { kind: 'embedding', vector: unitVector(VEC), modelId: 'model-a' },
};
const QUERY = {
  tenant: 't1',
  sha256: SHA,
  pdq: { hash: pdqFromHex(HEX), quality: 100 },
  embedding: { vector: VEC, modelId: 'model-a' },
};

type Kind = keyof typeof VALUES;
type Action = 'block' | 'review' | 'allow';
const bank = (id: string, kind: Kind, action: Action) =>
  indexed(makeBank({ id, kind, action }), [[`${id}-e`, VALUES[kind]]]);
const outcomeOf = (...banks: Array<[string, Kind, Action]>) =>
  matchBanks(
    QUERY,
    banks.map(([id, k, a]) => bank(id, k, a)),
  );

describe('a bank match against the policy verdict', () => {
  const verdicts: Verdict[] = ['allow', 'review', 'block'];

  it.each(verdicts)('no match: the policy verdict %s stands', (policy) => {
    expect(combineWithPolicy(policy, outcomeOf())).toMatchObject({
      verdict: policy,
      decidedBy: 'policy',
      rule: 'policy',
    });
  });

  it.each(verdicts)('an allow bank overrides a policy %s', (policy) => {
    expect(combineWithPolicy(policy, outcomeOf(['ok', 'pdq', 'allow']))).toMatchObject({
      verdict: 'allow',
      decidedBy: 'bank',
      rule: 'allow-bank-overrides-policy',
      bankMatch: { bankId: 'ok', entryId: 'ok-e' },
    });
  });

  it.each(verdicts)('a block bank overrides a policy %s (and so ends a review)', (policy) => {
    expect(combineWithPolicy(policy, outcomeOf(['bad', 'pdq', 'block']))).toMatchObject({
      verdict: 'block',
      decidedBy: 'bank',
      rule: 'block-bank-overrides-policy',
    });
  });

  it.each([
    ['allow', 'review', 'bank', 'review-bank-raises-to-review'],
    ['review', 'review', 'bank', 'review-bank-raises-to-review'],
    ['block', 'block', 'policy', 'policy-block-outranks-review-bank'],
  ] as const)(
    'a review bank on a policy %s gives %s, decided by the %s',
    (policy, verdict, decidedBy, rule) => {
      expect(combineWithPolicy(policy, outcomeOf(['look', 'embedding', 'review']))).toMatchObject({
        verdict,
        decidedBy,
        rule,
        policyVerdict: policy,
      });
    },
  );
});

describe('precedence among banks', () => {
  it('the more specific match decides: sha256 over PDQ over embedding', () => {
    const o = outcomeOf(
      ['emb-block', 'embedding', 'block'],
      ['pdq-review', 'pdq', 'review'],
      ['sha-allow', 'sha256', 'allow'],
    );
    expect(o.matches.map((m) => m.bankId)).toEqual(['sha-allow', 'pdq-review', 'emb-block']);
    expect(combineWithPolicy('block', o).verdict).toBe('allow');
    const noSha = outcomeOf(['emb-allow', 'embedding', 'allow'], ['pdq-block', 'pdq', 'block']);
    expect(noSha.winner?.bankId).toBe('pdq-block');
  });

  it('between equally specific matches the most severe action wins: block, review, allow', () => {
    const o = outcomeOf(
      ['a-allow', 'pdq', 'allow'],
      ['b-review', 'pdq', 'review'],
      ['c-block', 'pdq', 'block'],
    );
    expect(o.matches.map((m) => m.action)).toEqual(['block', 'review', 'allow']);
    expect(combineWithPolicy('allow', o)).toMatchObject({
      verdict: 'block',
      bankMatch: { bankId: 'c-block' },
    });
    const two = outcomeOf(['a-allow', 'embedding', 'allow'], ['b-review', 'embedding', 'review']);
    expect(combineWithPolicy('block', two)).toMatchObject({
      verdict: 'block',
      rule: 'policy-block-outranks-review-bank',
    });
  });

  it('then the closest match, then bank id', () => {
    const near = indexed(makeBank({ id: 'z-near', kind: 'pdq', action: 'block' }), [['n', VALUES.pdq]]);
    const far = pdqFromHex(HEX);
    far[0] ^= 0b111;
    const farBank = indexed(makeBank({ id: 'a-far', kind: 'pdq', action: 'block' }), [
      ['f', { kind: 'pdq', hash: far }],
    ]);
    expect(matchBanks(QUERY, [farBank, near]).matches.map((m) => [m.bankId, m.distance])).toEqual([
      ['z-near', 0],
      ['a-far', 3],
    ]);
    const tie = outcomeOf(['b', 'sha256', 'block'], ['a', 'sha256', 'block']);
    expect(tie.matches.map((m) => m.bankId)).toEqual(['a', 'b']);
  });
});
