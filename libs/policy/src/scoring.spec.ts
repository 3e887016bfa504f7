import { planPrompts } from './compile';
import { policySchema, type PolicyInput } from './schema';
import { scoreFrame, scoreFrames } from './scoring';

const base = {
  id: 'p',
  version: 1,
  description: 'test',
  model: { name: 'm' },
  templates: ['{}'],
} as const;

function setup(input: Omit<PolicyInput, keyof typeof base>) {
  const policy = policySchema.parse({ ...base, ...input });
  const prompts = planPrompts(policy);
  /** Similarities by prompt text, in the compiled order. */
  const sims = (byText: Record<string, number>) => prompts.map((p) => byText[p.text]);
  return { policy, prompts, sims };
}

const t = (review: number, block: number) => ({ review, block });

describe('softmax scoring', () => {
  const { policy, prompts, sims } = setup({
    scoring: { method: 'softmax' },
    categories: [
      { id: 'a', title: 'A', severity: 'high', prompts: ['a1'], thresholds: t(0.3, 0.6) },
      { id: 'b', title: 'B', severity: 'low', prompts: ['b1', 'b2'], thresholds: t(0.3, 0.6) },
    ],
    benign: ['n1'],
  });

  it("gives each category its prompts' probability mass (hand-computed)", () => {
    // logits 3, 2, 2, 1: A = e^3 / (e^3 + 2e^2 + e) = 0.534447, B = 2e^2 / (…) = 0.393224
    const s = scoreFrame(policy, prompts, sims({ a1: 0.3, b1: 0.2, b2: 0.2, n1: 0.1 }), 10);
    expect(s.categories.a.score).toBeCloseTo(0.534447, 5);
    expect(s.categories.b.score).toBeCloseTo(0.393224, 5);
    expect(s.categories.b.topPrompt).toBe('b1');
  });

  it('takes the max over frames and remembers the frame', () => {
    const frames = [
      sims({ a1: 0.1, b1: 0.3, b2: 0.2, n1: 0.1 }),
      sims({ a1: 0.3, b1: 0.2, b2: 0.2, n1: 0.1 }),
    ];
    const s = scoreFrames(policy, prompts, frames, 10);
    expect(s.categories.a.frame).toBe(1);
    expect(s.categories.a.score).toBeCloseTo(0.534447, 5);
    expect(s.categories.b.frame).toBe(0);
  });

  it('names the prompt that matched best, wherever it is in the list', () => {
    const s = scoreFrame(policy, prompts, sims({ a1: 0.3, b1: 0.1, b2: 0.25, n1: 0.1 }), 10);
    expect(s.categories.b).toMatchObject({ topPrompt: 'b2', topSimilarity: 0.25 });
  });

  it('keeps the first frame when frames tie', () => {
    const same = sims({ a1: 0.3, b1: 0.2, b2: 0.2, n1: 0.1 });
    const s = scoreFrames(policy, prompts, [same, [...same], [...same]], 10);
    expect(s.categories.a.frame).toBe(0);
  });

  it('stays finite at a large logit scale (softmax taken from the largest logit)', () => {
    // Logits 900 and 100: e^900 overflows a double; shifted by the largest logit it is e^0.
    const s = scoreFrame(policy, prompts, sims({ a1: 0.9, b1: 0.1, b2: 0.1, n1: 0.1 }), 1000);
    expect(s.categories.a.score).toBeCloseTo(1, 10);
    expect(s.categories.b.score).toBeCloseTo(0, 10);
  });
});

describe('hierarchical categories (softmax)', () => {
  const { policy, prompts, sims } = setup({
    scoring: { method: 'softmax' },
    categories: [
      {
        id: 'weapons',
        title: 'Weapons',
        severity: 'high',
        prompts: ['w1'],
        thresholds: t(0.5, 0.9),
        children: [
          { id: 'firearm', title: 'Firearm', severity: 'high', prompts: ['f1'], thresholds: t(0.4, 0.8) },
          { id: 'knife', title: 'Knife', severity: 'high', prompts: ['k1'], thresholds: t(0.4, 0.8) },
        ],
      },
    ],
    benign: ['n1'],
  });

  it("scores children as the parent's score times their share among siblings when the gate opens", () => {
    // parent = e^3/(e^3+e^2) = 0.731059; firearm = 0.731059 · σ(1) = 0.534447; knife = 0.731059 · σ(−1) = 0.196612
    const s = scoreFrame(policy, prompts, sims({ w1: 0.3, n1: 0.2, f1: 0.25, k1: 0.15 }), 10);
    expect(s.categories.weapons.score).toBeCloseTo(0.731059, 5);
    expect(s.categories.firearm).toMatchObject({ evaluated: true });
    expect(s.categories.firearm.score).toBeCloseTo(0.534447, 5);
    expect(s.categories.knife.score).toBeCloseTo(0.196612, 5);
  });

  it('leaves children unevaluated when the parent stays under its review threshold', () => {
    const s = scoreFrame(policy, prompts, sims({ w1: 0.1, n1: 0.2, f1: 0.9, k1: 0.15 }), 10);
    expect(s.categories.weapons.score).toBeCloseTo(0.268941, 5);
    expect(s.categories.firearm).toMatchObject({ evaluated: false, score: 0 });
  });

  it('opens the gate when the parent reaches its review threshold exactly', () => {
    // w1 = n1: the parent's score is exactly 0.5, its review threshold.
    const s = scoreFrame(policy, prompts, sims({ w1: 0.2, n1: 0.2, f1: 0.25, k1: 0.15 }), 10);
    expect(s.categories.weapons.score).toBe(0.5);
    expect(s.categories.firearm.evaluated).toBe(true);
    // 0.5 · σ(1)
    expect(s.categories.firearm.score).toBeCloseTo(0.365529, 5);
  });
});

describe('cosine scoring (Stable Diffusion safety checker rule)', () => {
  const { policy, prompts, sims } = setup({
    scoring: {
      method: 'cosine',
      default_threshold: 0.2,
      special_care: { prompts: [{ text: 's1', threshold: 0.3 }], adjustment: 0.01 },
    },
    categories: [
      {
        id: 'a',
        title: 'A',
        severity: 'high',
        prompts: [{ text: 'a1', threshold: 0.25 }, 'a2'],
        thresholds: t(0.5, 0.6),
      },
    ],
  });

  it('applies the special-care adjustment when a special prompt fires', () => {
    // margins: a1 = 0.24 − 0.25 + 0.01 = 0, a2 = 0.22 − 0.20 + 0.01 = 0.03 → σ(10 · 0.03) = 0.574443
    const s = scoreFrame(policy, prompts, sims({ a1: 0.24, a2: 0.22, s1: 0.31 }), 10);
    expect(s.categories.a.score).toBeCloseTo(0.574443, 5);
  });

  it('uses the plain thresholds otherwise', () => {
    // margins: a1 = −0.01, a2 = 0.02 → σ(0.2) = 0.549834
    const s = scoreFrame(policy, prompts, sims({ a1: 0.24, a2: 0.22, s1: 0.29 }), 10);
    expect(s.categories.a.score).toBeCloseTo(0.549834, 5);
    // A special prompt exactly at its threshold does not fire.
    expect(
      scoreFrame(policy, prompts, sims({ a1: 0.24, a2: 0.22, s1: 0.3 }), 10).categories.a.score,
    ).toBeCloseTo(0.549834, 5);
  });
});

describe('cosine scoring with several special-care prompts', () => {
  const { policy, prompts, sims } = setup({
    scoring: {
      method: 'cosine',
      default_threshold: 0.2,
      special_care: { prompts: [{ text: 's1', threshold: 0.3 }, 's2'], adjustment: 0.01 },
    },
    categories: [{ id: 'a', title: 'A', severity: 'high', prompts: ['a1'], thresholds: t(0.5, 0.6) }],
  });

  it('adjusts when any one of them fires', () => {
    // s2 (0.21 > 0.20) fires, s1 does not: margin 0.22 − 0.20 + 0.01 = 0.03 → σ(0.3)
    const s = scoreFrame(policy, prompts, sims({ a1: 0.22, s1: 0.1, s2: 0.21 }), 10);
    expect(s.categories.a.score).toBeCloseTo(0.574443, 5);
    // Neither fires: σ(0.2)
    expect(
      scoreFrame(policy, prompts, sims({ a1: 0.22, s1: 0.1, s2: 0.1 }), 10).categories.a.score,
    ).toBeCloseTo(0.549834, 5);
  });
});

describe('binary scoring', () => {
  const { policy, prompts, sims } = setup({
    scoring: { method: 'binary' },
    categories: [
      { id: 'a', title: 'A', severity: 'high', prompts: ['a1'], contrast: ['c1'], thresholds: t(0.5, 0.9) },
    ],
  });

  it('compares a category with its own contrast prompts', () => {
    // e^30 / (e^30 + e^25) = σ(5) = 0.993307
    const s = scoreFrame(policy, prompts, sims({ a1: 0.3, c1: 0.25 }), 100);
    expect(s.categories.a.score).toBeCloseTo(0.993307, 5);
  });
});

describe('attribute probes', () => {
  const { policy, prompts, sims } = setup({
    scoring: { method: 'softmax' },
    categories: [{ id: 'a', title: 'A', severity: 'high', prompts: ['a1'], thresholds: t(0.5, 0.9) }],
    benign: ['n1'],
    attributes: [
      {
        id: 'age',
        title: 'Age',
        values: [
          { id: 'child', prompts: ['kid'] },
          { id: 'adult', prompts: ['grown'] },
        ],
      },
    ],
  });

  it('reports the most likely value and its probability', () => {
    const s = scoreFrame(policy, prompts, sims({ a1: 0, n1: 0, kid: 0.1, grown: 0.3 }), 10);
    expect(s.attributes.age.value).toBe('adult');
    expect(s.attributes.age.confidence).toBeCloseTo(Math.exp(3) / (Math.exp(3) + Math.exp(1)), 6);
  });

  it('reports the margin between the top and the second value', () => {
    // (e^3 − e^1) / (e^3 + e^1) = tanh(1)
    const s = scoreFrame(policy, prompts, sims({ a1: 0, n1: 0, kid: 0.1, grown: 0.3 }), 10);
    expect(s.attributes.age.margin).toBeCloseTo(0.761594, 6);
  });

  it('has a zero margin when two values tie', () => {
    const s = scoreFrame(policy, prompts, sims({ a1: 0, n1: 0, kid: 0.2, grown: 0.2 }), 10);
    expect(s.attributes.age.margin).toBe(0);
  });
});

describe('attribute probe margin over three values with prompt ensembles', () => {
  const { policy, prompts, sims } = setup({
    scoring: { method: 'softmax' },
    categories: [{ id: 'a', title: 'A', severity: 'high', prompts: ['a1'], thresholds: t(0.5, 0.9) }],
    benign: ['n1'],
    attributes: [
      {
        id: 'age',
        title: 'Age',
        values: [
          { id: 'child', prompts: ['kid'] },
          { id: 'adult', prompts: ['grown', 'man'] },
          { id: 'none', prompts: ['object'] },
        ],
      },
    ],
  });

  it("compares the top value's mass with the runner-up's, not with the rest", () => {
    // logits 2, 2.5 + 1, 2.5 → masses e², e^2.5 + e, e^2.5 over S = e² + 2e^2.5 + e:
    // adult 0.432253 wins; the runner-up is "none", so the margin is e / S = 0.078854
    const s = scoreFrame(
      policy,
      prompts,
      sims({ a1: 0, n1: 0, kid: 0.2, grown: 0.25, man: 0.1, object: 0.25 }),
      10,
    );
    expect(s.attributes.age.value).toBe('adult');
    expect(s.attributes.age.confidence).toBeCloseTo(0.432253, 6);
    expect(s.attributes.age.margin).toBeCloseTo(0.078854, 6);
  });
});
