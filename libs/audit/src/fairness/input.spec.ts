import { SHAPES_POLICY } from './spec-support';
import { subjectOf } from './input';

describe('the fairness subject of a policy version', () => {
  it('lists every category with its parent, and every attribute probe with its values', () => {
    expect(subjectOf(SHAPES_POLICY)).toEqual({
      policy: { id: 'shapes', version: 4 },
      categories: [
        { id: 'star', title: 'Stars' },
        { id: 'red-star', title: 'Red stars', parent: 'star' },
        { id: 'circle', title: 'Circles' },
      ],
      probes: [{ id: 'fill', title: 'Fill', values: ['filled', 'outlined'] }],
    });
  });
});
