import { planPrompts, policySchema, type CompiledPolicy } from '@clipguard/policy';
import { decideEmbeddings, scoreEmbeddings } from './embeddings';

const policy = policySchema.parse({
  id: 'e',
  version: 1,
  description: 'embeddings to a decision',
  model: { name: 'm' },
  templates: ['{}'],
  scoring: { method: 'softmax' },
  benign: ['a plain photo'],
  categories: [
    {
      id: 'red',
      title: 'Red',
      severity: 'high',
      action: 'block',
      prompts: ['red'],
      thresholds: { review: 0.3, block: 0.6 },
    },
  ],
});
const prompts = planPrompts(policy);
// One axis per prompt row (red, then benign): a frame on an axis matches that prompt alone.
const axis = (i: number) => Float32Array.from(prompts, (_, j) => (j === i ? 1 : 0));
const compiled: CompiledPolicy = {
  policy,
  hash: 'h'.repeat(64),
  modelId: 'tiny/fp32@abc',
  prompts,
  embeddings: prompts.map((_, i) => axis(i)),
};
const redFrame = axis(prompts.findIndex((p) => p.owner === 'red'));
const benignFrame = axis(prompts.findIndex((p) => p.kind === 'benign'));

describe('scoreEmbeddings and decideEmbeddings', () => {
  it('score each frame against the prompts and keep the frame that scored highest', () => {
    const scores = scoreEmbeddings(compiled, [benignFrame, redFrame], 100);
    expect(scores.categories.red.frame).toBe(1);
    expect(scores.categories.red.score).toBeGreaterThan(0.99);
    expect(scoreEmbeddings(compiled, [benignFrame], 100).categories.red.score).toBeLessThan(0.01);
  });

  it('block an animation whose harmful content is only in a later frame, naming that frame', () => {
    const d = decideEmbeddings(compiled, [benignFrame, redFrame], 100);
    expect(d.verdict).toBe('block');
    expect(d.reasons[0]).toMatchObject({ category: 'red', frame: 1 });
    expect(d.modelId).toBe('tiny/fp32@abc');
    expect(decideEmbeddings(compiled, [benignFrame], 100).verdict).toBe('allow');
  });
});
