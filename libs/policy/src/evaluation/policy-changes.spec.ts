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
});
