import { GENESIS_HASH, chainHash, verifyChain, type StoredAuditEntry } from './audit-chain';

function chain(n: number): StoredAuditEntry[] {
  const out: StoredAuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const entry = {
      kind: 'decision' as const,
      ref: `s${i}`,
      body: { verdict: i % 2 ? 'allow' : 'block', scores: { a: i / 10 } },
    };
    const hash = chainHash(prev, entry);
    out.push({ ...entry, seq: String(i + 1), prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('audit hash chain', () => {
  it('verifies an intact chain', () => {
    expect(verifyChain(chain(5))).toEqual({ ok: true, entries: 5 });
  });

  it('detects an edited entry', () => {
    const c = chain(5);
    c[2] = { ...c[2], body: { ...c[2].body, verdict: 'allow' } };
    expect(verifyChain(c)).toMatchObject({
      ok: false,
      broken: { seq: '3', reason: 'content does not match its hash' },
    });
  });

  it('detects a deleted entry', () => {
    const c = chain(5);
    c.splice(1, 1);
    expect(verifyChain(c)).toMatchObject({
      ok: false,
      broken: { seq: '3', reason: 'predecessor hash does not match' },
    });
  });

  it('does not depend on key order', () => {
    const a = chainHash(GENESIS_HASH, { kind: 'review', ref: 'x', body: { a: 1, b: 2 } });
    const b = chainHash(GENESIS_HASH, { kind: 'review', ref: 'x', body: { b: 2, a: 1 } });
    expect(a).toBe(b);
  });
});
