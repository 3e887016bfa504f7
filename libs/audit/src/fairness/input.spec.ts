import { policySchema } from '@clipguard/policy';
import { subjectOf } from './input';

describe('the fairness subject of a policy version', () => {
  it('lists every category with its parent, and every attribute probe with its values', () => {
    const policy = policySchema.parse({
      id: 'shapes',
      version: 7,
      description: 'test',
      model: { name: 'tiny-clip' },
      templates: ['{}'],
      scoring: { method: 'softmax' },
      benign: ['a circle'],
      categories: [
        {
          id: 'star',
          title: 'Stars',
          severity: 'high',
          prompts: ['a star'],
          thresholds: { review: 0.5, block: 0.8 },
          children: [
            {
              id: 'red-star',
              title: 'Red stars',
              severity: 'high',
              prompts: ['a red star'],
              thresholds: { review: 0.5, block: 0.9 },
            },
          ],
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
    expect(subjectOf(policy)).toEqual({
      policy: { id: 'shapes', version: 7 },
      categories: [
        { id: 'star', title: 'Stars' },
        { id: 'red-star', title: 'Red stars', parent: 'star' },
      ],
      probes: [{ id: 'fill', title: 'Fill', values: ['filled', 'outlined'] }],
    });
  });
});
