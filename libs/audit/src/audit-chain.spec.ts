import { createHash } from 'node:crypto';
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

  it('detects an entry whose kind or ref was changed, not only its body', () => {
    const c = chain(4);
    expect(verifyChain([c[0], { ...c[1], ref: 'elsewhere' }, ...c.slice(2)])).toMatchObject({
      ok: false,
      entries: 2,
      broken: { seq: '2', reason: 'content does not match its hash' },
    });
    expect(verifyChain([c[0], c[1], { ...c[2], kind: 'review' }, c[3]])).toMatchObject({
      ok: false,
      entries: 3,
      broken: { seq: '3' },
    });
  });

  it('verifies a page of the chain from the hash before it', () => {
    const c = chain(6);
    expect(verifyChain(c.slice(3), c[2].hash)).toEqual({ ok: true, entries: 3 });
    expect(verifyChain(c.slice(3))).toMatchObject({ ok: false, broken: { seq: '4' } });
  });

  it('keeps its stored format: sha256 of the previous hash, a newline and the sorted-key JSON', () => {
    // Hashes already stored must keep verifying, so the format is written out here by hand.
    const json = '{"body":{"list":[{"a":1,"b":2},3],"score":0.5},"kind":"review","ref":"r-1"}';
    const expected = createHash('sha256').update(`${GENESIS_HASH}\n${json}`).digest('hex');
    const entry = { kind: 'review' as const, ref: 'r-1', body: { score: 0.5, list: [{ b: 2, a: 1 }, 3] } };
    expect(chainHash(GENESIS_HASH, entry)).toBe(expected);
  });

  it('does not depend on key order, at any depth', () => {
    const a = chainHash(GENESIS_HASH, {
      kind: 'review',
      ref: 'x',
      body: { a: 1, b: { c: [{ d: 1, e: 2 }] } },
    });
    const b = chainHash(GENESIS_HASH, {
      kind: 'review',
      ref: 'x',
      body: { b: { c: [{ e: 2, d: 1 }] }, a: 1 },
    });
    expect(a).toBe(b);
  });

  it('hashes every value: array order, nested values and dates all count', () => {
    const hash = (body: Record<string, unknown>) =>
      chainHash(GENESIS_HASH, { kind: 'review', ref: 'x', body });
    expect(hash({ list: [1, 2] })).not.toBe(hash({ list: [2, 1] }));
    expect(hash({ nested: { score: 0.1 } })).not.toBe(hash({ nested: { score: 0.2 } }));
    expect(hash({ at: new Date('2026-01-01T00:00:00Z') })).not.toBe(
      hash({ at: new Date('2026-01-02T00:00:00Z') }),
    );
    expect(hash({ at: new Date('2026-01-01T00:00:00Z') })).toBe(hash({ at: '2026-01-01T00:00:00.000Z' }));
  });
});
