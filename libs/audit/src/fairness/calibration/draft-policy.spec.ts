import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flattenCategories, parsePolicy, type Policy } from '@clipguard/policy';
import { draftNextVersion, type ThresholdChange } from './draft-policy';

const REPO = join(__dirname, '..', '..', '..', '..', '..');
const DEFAULT_V1 = readFileSync(join(REPO, 'policies', 'default', 'v1.yaml'), 'utf8');

/** The policy with the changes applied by hand: what the draft must parse to. */
function expected(policy: Policy, changes: readonly ThresholdChange[]): Policy {
  const copy = structuredClone(policy);
  copy.version += 1;
  for (const c of changes) {
    const found = flattenCategories(copy.categories).find((f) => f.category.id === c.category);
    if (!found) throw new Error(`no ${c.category}`);
    found.category.thresholds[c.threshold] = c.to;
  }
  return copy;
}

describe('draft of the next policy version', () => {
  const changes: ThresholdChange[] = [
    { category: 'sexual', threshold: 'review', to: 0.3125, evidence: 'precision ≥ 0.9 on 412 labels' },
    { category: 'firearm', threshold: 'block', to: 0.72, evidence: 'precision ≥ 0.9 on 97 labels' },
    { category: 'firearm', threshold: 'review', to: 0.41, evidence: 'recall ≥ 0.8 on 97 labels' },
  ];
  // Drafted in each test, not at collection: Stryker credits only code run inside a test (docs/mutation-testing.md).
  let draft: string;
  beforeEach(() => {
    draft = draftNextVersion(DEFAULT_V1, 'policies/default/v1.yaml', changes);
  });

  it('parses to the same policy except the changed thresholds and the version', () => {
    const before = parsePolicy(DEFAULT_V1, 'v1').policy;
    expect(parsePolicy(draft, 'v2').policy).toEqual(expected(before, changes));
  });

  it('keeps every other line byte for byte, comments and folded text included', () => {
    const added = (l: string) => /^\s*# (review|block): /.test(l) || l.startsWith('# Draft v2');
    const kept = draft.split('\n').filter((l) => !added(l));
    const original = DEFAULT_V1.split('\n');
    expect(kept).toHaveLength(original.length);
    const differing = original.filter((l, i) => kept[i] !== l);
    expect(differing).toEqual([
      'version: 1',
      '    thresholds: { review: 0.25, block: 0.55 }',
      '        thresholds: { review: 0.2, block: 0.6 }',
    ]);
    expect(kept).toContain('version: 2');
    expect(kept).toContain('    thresholds: { review: 0.3125, block: 0.55 }');
    expect(kept).toContain('        thresholds: { review: 0.41, block: 0.72 }');
  });

  it('puts a comment per changed threshold with its evidence above the thresholds line, at its indent', () => {
    const lines = draft.split('\n');
    const at = lines.indexOf('        thresholds: { review: 0.41, block: 0.72 }');
    expect(lines.slice(at - 2, at)).toEqual([
      '        # block: precision ≥ 0.9 on 97 labels',
      '        # review: recall ≥ 0.8 on 97 labels',
    ]);
    const sexual = lines.indexOf('    thresholds: { review: 0.3125, block: 0.55 }');
    expect(lines[sexual - 1]).toBe('    # review: precision ≥ 0.9 on 412 labels');
    expect(lines[lines.indexOf('version: 2') - 1]).toMatch(/^# Draft v2: v1 with calibrated thresholds/);
  });

  it('edits block-style thresholds too', () => {
    const text = DEFAULT_V1.replace(
      '    thresholds: { review: 0.25, block: 0.55 }\n\n  - id: violence',
      '    thresholds:\n      review: 0.25 # tuned by hand\n      block: 0.55\n\n  - id: violence',
    );
    const out = draftNextVersion(text, 'v1', [
      { category: 'sexual', threshold: 'block', to: 0.6, evidence: 'e' },
    ]);
    expect(out).toContain(
      '    # block: e\n    thresholds:\n      review: 0.25 # tuned by hand\n      block: 0.6\n',
    );
  });

  it('refuses an unknown category or a draft the schema would reject, with a typed error', () => {
    const draftWith = (c: ThresholdChange) => () => draftNextVersion(DEFAULT_V1, 'v1', [c]);
    expect(draftWith({ category: 'nope', threshold: 'review', to: 0.3, evidence: 'e' })).toThrow(
      expect.objectContaining({ code: 'DRAFT_POLICY_INVALID', message: 'no category "nope" in v1' }) as Error,
    );
    const invalid = draftWith({ category: 'sexual', threshold: 'review', to: 0.9, evidence: 'e' });
    expect(invalid).toThrow(expect.objectContaining({ code: 'DRAFT_POLICY_INVALID' }) as Error);
    // the draft's own name in the policy error: the file and the version it would be
    expect(invalid).toThrow(/^the draft would be invalid: .*v1 \(draft v2\)/s);
    expect(invalid).toThrow(/review threshold must not exceed block threshold/);
  });

  it('keeps an evidence text with line breaks on one comment line', () => {
    const out = draftNextVersion(DEFAULT_V1, 'v1', [
      { category: 'sexual', threshold: 'review', to: 0.3, evidence: 'first\n  second' },
    ]);
    expect(out).toContain('    # review: first second\n');
    expect(parsePolicy(out, 'v2').policy.categories[0].thresholds.review).toBe(0.3);
  });
});
