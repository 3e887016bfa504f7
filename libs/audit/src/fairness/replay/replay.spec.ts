import type { Verdict } from '@clipguard/decision';
import { planPrompts, policySchema, type CompiledPolicy } from '@clipguard/policy';
import { FairnessError } from '../errors';
import type { HumanLabel } from '../input';
import { framesFromVectors } from './embeddings';
import { agreesWith, emptyTally, replay, replayOne, tallyReplay, type StoredSubmission } from './replay';

/** A 3-d toy model: "a star" points along x, the benign "a circle" along y. */
function compiledWith(version: number, block: number): CompiledPolicy {
  const policy = policySchema.parse({
    id: 'shapes',
    version,
    description: 'toy',
    model: { name: 'toy' },
    templates: ['{}'],
    scoring: { method: 'softmax' },
    benign: ['a circle'],
    categories: [
      {
        id: 'star',
        title: 'Stars',
        severity: 'high',
        prompts: ['a star'],
        thresholds: { review: 0.5, block },
      },
    ],
    attributes: [
      {
        id: 'fill',
        title: 'Fill',
        values: [
          { id: 'filled', prompts: ['filled'] },
          { id: 'outlined', prompts: ['outlined'] },
        ],
      },
    ],
  });
  const unit: Record<string, number[]> = {
    'a star': [1, 0, 0],
    'a circle': [0, 1, 0],
    filled: [0, 0.6, 0.8],
    outlined: [0, 0.8, 0.6],
  };
  const prompts = planPrompts(policy);
  return {
    policy,
    hash: `h${version}`,
    modelId: 'toy',
    prompts,
    embeddings: prompts.map((p) => Float32Array.from(unit[p.text])),
  };
}

const bytes = (...frames: number[][]) => new Uint8Array(Float32Array.from(frames.flat()).buffer);
const STARRY = [0.8, 0.6, 0]; // cos with "a star" 0.8, with "a circle" 0.6
const PLAIN = [0.6, 0.8, 0];

function stored(frames: number[][], previousVerdict: Verdict, label?: HumanLabel): StoredSubmission {
  return {
    submissionId: 's',
    decidedAt: new Date('2026-02-01T00:00:00Z'),
    vectors: bytes(...frames),
    frames: frames.length,
    previousVerdict,
    ...(label ? { label } : {}),
  };
}

describe('re-deciding from stored embeddings', () => {
  const v1 = { compiled: compiledWith(1, 0.9), logitScale: 10 };
  const v2 = { compiled: compiledWith(2, 0.85), logitScale: 10 };

  it('scores and decides as the decision service does (hand-computed)', () => {
    // softmax over (star, circle) at scale 10: e^8 / (e^8 + e^6) = σ(2) = 0.880797
    const d1 = replayOne(stored([STARRY], 'allow'), v1);
    expect(d1.categoryScores.star).toBeCloseTo(0.880797, 5);
    expect(d1.verdict).toBe('review');
    expect(replayOne(stored([STARRY], 'allow'), v2)).toMatchObject({
      verdict: 'block',
      policy: { id: 'shapes', version: 2, hash: 'h2' },
    });
  });

  it('applies the bank outcome recorded with the stored decision again', () => {
    const allowBank = {
      revision: 3,
      checked: [{ bankId: 'statues', kind: 'sha256' as const, revision: 2, entries: 1, matches: 1 }],
      matches: [
        {
          bankId: 'statues',
          bankTitle: 'Known statues',
          kind: 'sha256' as const,
          action: 'allow' as const,
          entryId: 'e1',
          threshold: 0,
          distance: 0,
        },
      ],
    };
    expect(replayOne(stored([STARRY], 'allow'), v2).verdict).toBe('block');
    const banked = replayOne({ ...stored([STARRY], 'allow'), banks: allowBank }, v2);
    expect(banked.verdict).toBe('allow');
    expect(banked.categoryScores.star).toBeCloseTo(0.880797, 5);
    expect(
      replayOne({ ...stored([STARRY], 'allow'), banks: { ...allowBank, matches: [] } }, v2).verdict,
    ).toBe('block');
  });

  it('takes the most severe frame of an animation and keeps the attribute probe with its margin', () => {
    const d = replayOne(stored([PLAIN, STARRY], 'allow'), v2);
    expect(d.reasons[0]).toMatchObject({ category: 'star', frame: 1 });
    // the probe reads the first frame: cos 0.48 (filled) vs 0.64 (outlined) → σ(1.6) − σ(−1.6) = 0.664037
    expect(d.attributes.fill.value).toBe('outlined');
    expect(d.attributes.fill.margin).toBeCloseTo(0.664037, 5);
  });

  it('tabulates verdict transitions and what changes against human labels', () => {
    const block: HumanLabel = { verdict: 'block', categories: ['star'], source: 'review' };
    const allow: HumanLabel = { verdict: 'allow', categories: [], source: 'qa' };
    const r = replay(
      [
        stored([STARRY], 'review', block), // review → block: agreed before and after
        stored([STARRY], 'allow', block), // allow → block: fixed
        stored([STARRY], 'allow', allow), // allow → block: broken
        stored([PLAIN], 'block', allow), // PLAIN scores σ(−2) = 0.119: block → allow, fixed
        stored([PLAIN], 'allow'),
      ],
      v2,
    );
    expect(r.transitions).toEqual({
      allow: { allow: 1, review: 0, block: 2 },
      review: { allow: 0, review: 0, block: 1 },
      block: { allow: 1, review: 0, block: 0 },
    });
    expect(r).toMatchObject({
      decisions: 5,
      changed: 4,
      labelled: 4,
      fixed: 2,
      broken: 1,
      agreedBefore: 2,
      agreedAfter: 3,
    });
    expect(r.policy).toEqual({ id: 'shapes', version: 2, hash: 'h2' });
    expect(r.replayed.map((d) => d.verdict)).toEqual(['block', 'block', 'block', 'allow', 'allow']);
    expect(r.replayed[1]).toMatchObject({
      verdict: 'block',
      label: block,
      reasons: [{ category: 'star', verdict: 'block' }],
    });
  });
});

describe('stored embedding bytes', () => {
  it('reads frames from an unaligned buffer', () => {
    const padded = new Uint8Array(1 + 24);
    padded.set(bytes([1, 2, 3], [4, 5, 6]), 1);
    const frames = framesFromVectors(padded.subarray(1), 2, 3);
    expect(frames.map((f) => [...f])).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it("reads frames from a Node Buffer that is a view into Node's shared pool (as pg returns byteas)", () => {
    const pooled = Buffer.from(bytes([1, 2, 3]));
    expect(pooled.byteOffset > 0 || pooled.buffer.byteLength > pooled.byteLength).toBe(true);
    expect([...framesFromVectors(pooled, 1, 3)[0]]).toEqual([1, 2, 3]);
  });

  it('refuses bytes that do not match frames × dim with a typed error', () => {
    expect(() => framesFromVectors(bytes([1, 2, 3]), 1, 4)).toThrow(FairnessError);
    expect(() => framesFromVectors(bytes([1, 2, 3]), 1, 4)).toThrow(
      'stored embedding has 12 bytes; 1 frame(s) of 4 float32 need 16',
    );
    // the byte count alone would fit: zero frames of nothing, one and a half frames of two
    expect(() => framesFromVectors(new Uint8Array(0), 0, 3)).toThrow(FairnessError);
    expect(() => framesFromVectors(bytes([1, 2, 3]), 1.5, 2)).toThrow(FairnessError);
    expect(() => framesFromVectors(bytes([1, 2, 3]), 0, 3)).toThrow(
      expect.objectContaining({ code: 'EMBEDDING_SHAPE_INVALID' }) as Error,
    );
  });
});

describe('agreement with the moderator', () => {
  const block: HumanLabel = { verdict: 'block', categories: ['star'], source: 'review' };
  const allow: HumanLabel = { verdict: 'allow', categories: [], source: 'review' };

  it('takes a human block as agreeing with review or block, and a human allow only with allow', () => {
    expect([agreesWith('allow', block), agreesWith('review', block), agreesWith('block', block)]).toEqual([
      false,
      true,
      true,
    ]);
    expect([agreesWith('allow', allow), agreesWith('review', allow), agreesWith('block', allow)]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('counts a change between two agreeing verdicts as neither fixed nor broken', () => {
    const t = emptyTally();
    tallyReplay(t, 'review', 'block', block);
    expect(t).toMatchObject({
      changed: 1,
      labelled: 1,
      agreedBefore: 1,
      agreedAfter: 1,
      fixed: 0,
      broken: 0,
    });
    tallyReplay(t, 'block', 'allow', block);
    expect(t).toMatchObject({ agreedBefore: 2, agreedAfter: 1, fixed: 0, broken: 1 });
    tallyReplay(t, 'block', 'block');
    expect(t).toMatchObject({ decisions: 3, labelled: 2, changed: 2 });
  });
});
