import { historyLine } from './history';

const at = new Date('2026-11-28T06:44:58Z');
const policy = { id: 'shapes', version: 2, hash: 'cd211388182718b872aa1c2cd975fd66' };

describe('historyLine', () => {
  it('names the policy version and its short hash, not its JSON', () => {
    expect(historyLine({ kind: 'decision', body: { verdict: 'review', policy }, created_at: at })).toEqual({
      at: '2026-11-28T06:44:58.000Z',
      kind: 'decision',
      actor: null,
      summary: 'decided review by policy shapes v2 (cd211388)',
    });
    expect(
      historyLine({ kind: 'shadow_decision', body: { verdict: 'block', policy }, created_at: at }).summary,
    ).toBe('shadow policy shapes v2 (cd211388) would decide block');
  });

  it('says "the policy" when an entry does not name one', () => {
    expect(historyLine({ kind: 'decision', body: { verdict: 'allow' }, created_at: at }).summary).toBe(
      'decided allow by the policy',
    );
  });

  it("gives a review's verdict with its labels and the moderator who made it", () => {
    const line = historyLine({
      kind: 'review',
      body: { verdict: 'block', labels: ['red', 'star'], actor: { name: 'mod1' } },
      created_at: at,
    });
    expect(line).toMatchObject({ actor: 'mod1', summary: 'resolved block (red, star)' });
  });

  it('falls back to the kind for an entry it has no words for', () => {
    expect(historyLine({ kind: 'bank_entry', body: {}, created_at: at }).summary).toBe('bank_entry');
  });
});
