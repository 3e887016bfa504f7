import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PolicyError } from './errors';
import { parsePolicy } from './parse';
import { policyJsonSchema } from './json-schema';

const REPO = join(__dirname, '..', '..', '..');
const valid = `
id: demo
version: 3
description: a demo
model: { name: tiny }
templates: ["{}"]
scoring: { method: softmax }
benign: ["a cat"]
categories:
  - id: red
    title: Red
    severity: high
    prompts: ["a red star"]
    thresholds: { review: 0.3, block: 0.6 }
`;

function issues(text: string): PolicyError {
  try {
    parsePolicy(text, 'x.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return err as PolicyError;
  }
  throw new Error('expected the policy to be refused');
}

describe('parsePolicy', () => {
  it('accepts a valid policy and fills defaults', () => {
    const { policy, hash } = parsePolicy(valid, 'x.yaml');
    expect(policy.categories[0].action).toBe('block');
    expect(policy.attributes).toEqual([]);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes content, not formatting or comments', () => {
    const a = parsePolicy(valid, 'x.yaml').hash;
    const b = parsePolicy(
      `# a comment\n${valid.replace('{ review: 0.3, block: 0.6 }', '\n      review: 0.3\n      block: 0.6')}`,
      'x.yaml',
    ).hash;
    const c = parsePolicy(valid.replace('review: 0.3', 'review: 0.31'), 'x.yaml').hash;
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });

  it('hashes neither key order nor the $schema line, but list order and nested values', () => {
    const a = parsePolicy(valid, 'x.yaml').hash;
    const reordered = valid
      .replace('id: demo\nversion: 3\n', 'version: 3\nid: demo\n')
      .replace('thresholds: { review: 0.3, block: 0.6 }', 'thresholds: { block: 0.6, review: 0.3 }');
    expect(reordered).not.toBe(valid);
    expect(parsePolicy(reordered, 'x.yaml').hash).toBe(a);
    expect(parsePolicy(`$schema: ./policy.schema.json\n${valid}`, 'x.yaml').hash).toBe(a);
    expect(
      parsePolicy(valid.replace('templates: ["{}"]', 'templates: ["{}", "a photo of {}"]'), 'x.yaml').hash,
    ).not.toBe(
      parsePolicy(valid.replace('templates: ["{}"]', 'templates: ["a photo of {}", "{}"]'), 'x.yaml').hash,
    );
    expect(parsePolicy(valid.replace('name: tiny', 'name: tiny2'), 'x.yaml').hash).not.toBe(a);
  });

  it('accepts a review threshold equal to the block threshold', () => {
    expect(
      parsePolicy(valid.replace('review: 0.3', 'review: 0.6'), 'x.yaml').policy.categories[0].thresholds,
    ).toEqual({
      review: 0.6,
      block: 0.6,
    });
  });

  it('places policy-wide rule violations on the line at fault', () => {
    const withChild = valid.replace(
      '    thresholds: { review: 0.3, block: 0.6 }\n',
      '    thresholds: { review: 0.3, block: 0.6 }\n    children:\n      - id: red\n        title: Again\n        severity: low\n        prompts: ["red"]\n        thresholds: { review: 0.3, block: 0.6 }\n',
    );
    expect(issues(withChild).issues).toEqual([
      expect.objectContaining({
        path: 'categories.0.children.0.id',
        line: 16,
        message: 'categories[red].children[red].id: duplicate category id "red"',
      }),
    ]);
    const binary = issues(valid.replace('method: softmax', 'method: binary')).issues;
    expect(binary).toEqual([expect.objectContaining({ path: 'categories.0.prompts', line: 13 })]);
    expect(binary[0].message).toContain('the binary method needs contrast prompts');
    const noBenign = issues(valid.replace('benign: ["a cat"]', 'benign: []')).issues;
    expect(noBenign).toEqual([expect.objectContaining({ path: 'benign', line: 8 })]);
    expect(noBenign[0].message).toContain('the softmax method needs benign prompts to compete with');
  });

  it('names the field path and line of a bad value', () => {
    const err = issues(valid.replace('block: 0.6', 'block: 1.6'));
    expect(err.issues[0]).toMatchObject({ path: 'categories.0.thresholds.block', line: 14 });
    expect(err.message).toContain('x.yaml:14');
  });

  it('refuses review above block, unknown fields, duplicate ids and bad severities', () => {
    expect(issues(valid.replace('review: 0.3', 'review: 0.7')).message).toMatch(
      /review threshold must not exceed block/,
    );
    expect(issues(valid.replace('title: Red', 'title: Red\n    colour: red')).message).toMatch(/colour/);
    expect(issues(valid.replace('severity: high', 'severity: extreme')).issues[0].path).toBe(
      'categories.0.severity',
    );
    const dup = valid + valid.slice(valid.indexOf('  - id: red'));
    expect(issues(dup).message).toMatch(/duplicate category id "red"/);
  });

  it('requires contrast prompts for the binary method and benign prompts for softmax', () => {
    expect(issues(valid.replace('method: softmax', 'method: binary')).message).toMatch(/contrast/);
    expect(issues(valid.replace('benign: ["a cat"]', '')).message).toMatch(/benign/);
  });

  it('reports YAML syntax errors with their line', () => {
    const err = issues('id: demo\nversion: [1\n');
    expect(err.code).toBe('POLICY_INVALID');
    expect(err.issues[0].line).toBeGreaterThan(0);
  });
});

describe('shipped policies', () => {
  it('policies/default/v1.yaml is valid and has 5–10 prompts per category', () => {
    const { policy } = parsePolicy(readFileSync(join(REPO, 'policies/default/v1.yaml'), 'utf8'), 'v1.yaml');
    const ids = policy.categories.map((c) => c.id);
    expect(ids).toEqual(
      expect.arrayContaining(['sexual', 'violence', 'weapons', 'self-harm', 'hate-symbols', 'drugs']),
    );
    for (const c of policy.categories) {
      expect(c.prompts.length).toBeGreaterThanOrEqual(5);
      expect(c.prompts.length).toBeLessThanOrEqual(10);
    }
    expect(policy.benign.length).toBeGreaterThan(30);
  });

  it('the committed JSON Schema matches the zod schema (regenerate with npm run policy:schema)', () => {
    const committed = JSON.parse(readFileSync(join(REPO, 'policies/policy.schema.json'), 'utf8')) as unknown;
    expect(committed).toEqual(policyJsonSchema());
  });
});
