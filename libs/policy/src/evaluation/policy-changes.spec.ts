import { parsePolicy } from '../parse';
import { formatPolicyChange, policyChanges } from './policy-changes';

const v1 = `id: shapes
version: 1
description: one
model: { name: tiny }
templates: ["{}"]
scoring: { method: softmax }
benign: ["a green circle", "a blue square"]
categories:
  - id: red
    title: Red
    severity: high
    prompts: ["a red star", "a red circle"]
    thresholds: { review: 0.3, block: 0.5 }
  - id: star
    title: Star
    severity: medium
    action: review
    prompts: ["a star"]
    thresholds: { review: 0.4, block: 0.95 }
`;

describe('policyChanges', () => {
  it('lists edited thresholds, actions and prompts by category id, and nothing for the version number', () => {
    const v2 = v1
      .replace('version: 1', 'version: 2')
      .replace('action: review', 'action: block')
      .replace('{ review: 0.4, block: 0.95 }', '{ review: 0.3, block: 0.6 }')
      .replace('["a red star", "a red circle"]', '["a red circle", "a red heart"]')
      .replace('"a blue square"]', '"a blue square", "a black cross"]');
    const changes = policyChanges(parsePolicy(v1, 'a').policy, parsePolicy(v2, 'b').policy);
    expect(changes.map(formatPolicyChange)).toEqual([
      'benign: + "a black cross"',
      'categories[red].prompts: − "a red star"',
      'categories[red].prompts: + "a red heart"',
      'categories[star].action: "review" → "block"',
      'categories[star].thresholds.review: 0.4 → 0.3',
      'categories[star].thresholds.block: 0.95 → 0.6',
    ]);
  });

  it('names added and removed categories, and finds no change between a version and itself', () => {
    const a = parsePolicy(v1, 'a').policy;
    const withoutStar = parsePolicy(v1.slice(0, v1.indexOf('  - id: star')), 'b').policy;
    expect(policyChanges(a, withoutStar)).toEqual([{ where: 'categories[star]', change: 'removed' }]);
    expect(policyChanges(withoutStar, a)).toEqual([{ where: 'categories[star]', change: 'added' }]);
    expect(policyChanges(a, a)).toEqual([]);
  });

  it('shows an optional field set or dropped, a changed prompt list, and a renamed category', () => {
    const a = parsePolicy(v1, 'a').policy;
    const b = parsePolicy(
      v1
        .replace('model: { name: tiny }', 'model: { name: tiny, id: tiny/fp32@abc }')
        .replace('    title: Star\n', '    title: Star\n    description: any star\n')
        .replace('- id: red', '- id: crimson'),
      'b',
    ).policy;
    expect(policyChanges(a, b).map(formatPolicyChange)).toEqual([
      'model.id: + "tiny/fp32@abc"',
      'categories[red]: − (gone)',
      'categories[star].description: + "any star"',
      'categories[crimson]: + (new)',
    ]);
    expect(policyChanges(b, a).map(formatPolicyChange)).toEqual([
      'model.id: − "tiny/fp32@abc"',
      'categories[crimson]: − (gone)',
      'categories[star].description: − "any star"',
      'categories[red]: + (new)',
    ]);
  });

  it('compares templates as a set: reordered is unchanged, a new one is added', () => {
    const a = parsePolicy(v1.replace('templates: ["{}"]', 'templates: ["{}", "a photo of {}"]'), 'a').policy;
    const reordered = parsePolicy(
      v1.replace('templates: ["{}"]', 'templates: ["a photo of {}", "{}"]'),
      'b',
    ).policy;
    expect(policyChanges(a, reordered)).toEqual([]);
    expect(policyChanges(parsePolicy(v1, 'c').policy, a)).toEqual([
      { where: 'templates', change: 'added', to: '"a photo of {}"' },
    ]);
  });
});
