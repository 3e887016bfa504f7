import { planPrompts, policySchema, type CompiledPolicy, type PolicyScores } from '@clipguard/policy';
import { decide } from './decision';

const policy = policySchema.parse({
  id: 'p',
  version: 4,
  description: 'decision rules',
  model: { name: 'm' },
  templates: ['{}'],
  scoring: { method: 'softmax' },
  benign: ['n'],
  categories: [
    {
      id: 'nudity',
      title: 'Nudity',
      severity: 'critical',
      action: 'block',
      prompts: ['x'],
      thresholds: { review: 0.3, block: 0.6 },
    },
    {
      id: 'drugs',
      title: 'Drugs',
      severity: 'medium',
      action: 'review',
      prompts: ['d'],
      thresholds: { review: 0.3, block: 0.5 },
    },
    {
      id: 'logos',
      title: 'Logos',
      severity: 'low',
      action: 'flag',
      prompts: ['l'],
      thresholds: { review: 0.2, block: 0.4 },
    },
    {
      id: 'weapons',
      title: 'Weapons',
      severity: 'high',
      prompts: ['w'],
      thresholds: { review: 0.4, block: 0.8 },
      children: [
        {
          id: 'knife',
          title: 'Knife',
          severity: 'high',
          prompts: ['k'],
          thresholds: { review: 0.2, block: 0.5 },
        },
      ],
    },
  ],
});
const compiled: CompiledPolicy = {
  policy,
  hash: 'h'.repeat(64),
  modelId: 'tiny/fp32@abc',
  prompts: planPrompts(policy),
  embeddings: [],
};

function scores(values: Record<string, number>, unevaluated: string[] = []): PolicyScores {
  const categories: PolicyScores['categories'] = {};
  for (const id of ['nudity', 'drugs', 'logos', 'weapons', 'knife']) {
    categories[id] = {
      score: values[id] ?? 0,
      evaluated: !unevaluated.includes(id),
      topPrompt: id[0],
      topSimilarity: 0.2,
      frame: 0,
    };
  }
  return { categories, attributes: { age: { value: 'adult', confidence: 0.9, margin: 0.8 } } };
}

describe('decide', () => {
  it('allows when nothing crosses a threshold, with a safety score from the closest category', () => {
    const d = decide(compiled, scores({ nudity: 0.15, drugs: 0.1 }));
    expect(d.verdict).toBe('allow');
    expect(d.flagged).toBe(false);
    // 1 − max(0.15/0.6, 0.1/0.5) = 1 − 0.25
    expect(d.safetyScore).toBeCloseTo(0.75, 10);
    expect(d.reasons).toEqual([]);
  });

  it('blocks at the block threshold and names policy, model, threshold and prompt', () => {
    const d = decide(compiled, scores({ nudity: 0.6 }));
    expect(d.verdict).toBe('block');
    expect(d.safetyScore).toBe(0);
    expect(d.reasons[0]).toMatchObject({
      category: 'nudity',
      threshold: 'block',
      thresholdValue: 0.6,
      topPrompt: 'n',
    });
    expect(d.policy).toEqual({ id: 'p', version: 4, hash: 'h'.repeat(64) });
    expect(d.modelId).toBe('tiny/fp32@abc');
    expect(d.categories.nudity).toBe(true);
    expect(d.flagged).toBe(true);
    expect(d.categoryScores.nudity).toBe(0.6);
  });

  it('sends to review between the thresholds, inclusive at the review threshold', () => {
    expect(decide(compiled, scores({ nudity: 0.45 })).verdict).toBe('review');
    const atReview = decide(compiled, scores({ nudity: 0.3 }));
    expect(atReview.verdict).toBe('review');
    expect(atReview.reasons[0]).toMatchObject({
      category: 'nudity',
      threshold: 'review',
      thresholdValue: 0.3,
    });
    expect(decide(compiled, scores({ nudity: 0.2999 })).verdict).toBe('allow');
  });

  it('flags a decision whose only reason is a flag-action category, without changing the verdict', () => {
    const d = decide(compiled, scores({ logos: 0.25 }));
    expect(d.verdict).toBe('allow');
    expect(d.flagged).toBe(true);
    expect(d.reasons.map((r) => r.category)).toEqual(['logos']);
  });

  it('gives a safety score of 0 under a block threshold of 0, whatever the score', () => {
    const zero = policySchema.parse({
      ...policy,
      categories: [{ ...policy.categories[0], thresholds: { review: 0, block: 0 } }],
    });
    const basis = { policy: zero, hash: compiled.hash, modelId: compiled.modelId };
    for (const score of [0, 0.4]) {
      const d = decide(basis, scores({ nudity: score }));
      expect(d.verdict).toBe('block');
      expect(d.safetyScore).toBe(0);
    }
  });

  it('caps a review-action category at review and never lets a flag-action category change the verdict', () => {
    const d = decide(compiled, scores({ drugs: 0.9, logos: 0.9 }));
    expect(d.verdict).toBe('review');
    expect(d.categories).toMatchObject({ drugs: true, logos: true });
    expect(d.reasons.find((r) => r.category === 'logos')).toMatchObject({
      verdict: 'allow',
      threshold: 'block',
    });
    expect(decide(compiled, scores({ logos: 0.9 })).verdict).toBe('allow');
  });

  it('orders reasons by verdict, then severity, then score', () => {
    const d = decide(compiled, scores({ drugs: 0.9, nudity: 0.7, weapons: 0.5, knife: 0.3 }));
    expect(d.reasons.map((r) => r.category)).toEqual(['nudity', 'weapons', 'knife', 'drugs']);
    // Same verdict and severity: the higher score first, whatever the policy's order.
    const tie = decide(compiled, scores({ weapons: 0.45, knife: 0.49 }));
    expect(tie.reasons.map((r) => r.category)).toEqual(['knife', 'weapons']);
  });

  it('ignores children the gate did not open', () => {
    const d = decide(compiled, scores({ weapons: 0.3, knife: 0.9 }, ['knife']));
    expect(d.verdict).toBe('allow');
    expect(d.categories.knife).toBe(false);
  });

  it('lets a child block through its own thresholds once its parent opened the gate', () => {
    const d = decide(compiled, scores({ weapons: 0.45, knife: 0.5 }));
    expect(d.verdict).toBe('block');
    expect(d.reasons[0]).toMatchObject({ category: 'knife', threshold: 'block' });
  });
});
