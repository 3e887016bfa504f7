import { isMap, isNode, isScalar, isSeq, parseDocument, type Document, type YAMLMap } from 'yaml';
import { parsePolicy, PolicyError } from '@clipguard/policy';
import { FairnessError } from '../errors';

export interface ThresholdChange {
  category: string;
  threshold: 'review' | 'block';
  to: number;
  /** One line saying why: the labels and figures behind the new value. */
  evidence: string;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

const fail = (message: string): never => {
  throw new FairnessError('DRAFT_POLICY_INVALID', message);
};

/** The mapping of the category with this id, searched through `categories` and every `children`. */
function findCategory(node: unknown, id: string): YAMLMap | undefined {
  if (!isSeq(node)) return undefined;
  for (const item of node.items) {
    if (!isMap(item)) continue;
    if (item.get('id') === id) return item;
    const found = findCategory(item.get('children', true), id);
    if (found) return found;
  }
  return undefined;
}

function sourceRange(node: unknown, what: string): [number, number] {
  if (!isNode(node) || !node.range) return fail(`${what} has no position in the source`);
  return [node.range[0], node.range[1]];
}

/** Where a key of the mapping starts, and where its line starts. */
function lineOfKey(text: string, map: unknown, key: string): { lineStart: number; keyStart: number } {
  const pair = isMap(map) ? map.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined;
  const keyStart = sourceRange(pair?.key, `key "${key}"`)[0];
  return { lineStart: text.lastIndexOf('\n', keyStart - 1) + 1, keyStart };
}

/** Replaces a scalar's source text, and puts comment lines above the line its key starts on. */
function thresholdEdits(text: string, category: YAMLMap, changes: readonly ThresholdChange[]): Edit[] {
  const thresholds = category.get('thresholds', true);
  if (!isMap(thresholds)) return fail(`category ${String(category.get('id'))} has no thresholds mapping`);
  const { lineStart, keyStart } = lineOfKey(text, category, 'thresholds');
  const indent = ' '.repeat(keyStart - lineStart);
  const comments = changes.map((c) => `${indent}# ${c.threshold}: ${c.evidence.replace(/\s*\n\s*/g, ' ')}\n`);
  return [
    { start: lineStart, end: lineStart, text: comments.join('') },
    ...changes.map((c) => {
      const [start, end] = sourceRange(thresholds.get(c.threshold, true), `${c.category}.${c.threshold}`);
      return { start, end, text: String(c.to) };
    }),
  ];
}

function versionEdits(text: string, doc: Document, from: number): Edit[] {
  const [start, end] = sourceRange(doc.get('version', true), 'version');
  const { lineStart } = lineOfKey(text, doc.contents, 'version');
  const note = `# Draft v${from + 1}: v${from} with calibrated thresholds (clipguard policy calibrate); review before shipping.\n`;
  return [
    { start: lineStart, end: lineStart, text: note },
    { start, end, text: String(from + 1) },
  ];
}

const apply = (text: string, edits: readonly Edit[]) =>
  [...edits]
    .sort((a, b) => b.start - a.start)
    .reduce((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), text);

function byCategory(changes: readonly ThresholdChange[]): Map<string, ThresholdChange[]> {
  const grouped = new Map<string, ThresholdChange[]>();
  for (const c of changes) grouped.set(c.category, [...(grouped.get(c.category) ?? []), c]);
  return grouped;
}

/**
 * The text of policy version N+1: version N's text with only the given thresholds and the version number
 * changed, a comment line per changed threshold giving its evidence, and a draft note. The yaml Document
 * locates each node's source range and the edits are spliced into the original text, so every other byte
 * (formatting, folded strings, comments) stays as it was; the result is parsed again before it is returned.
 */
export function draftNextVersion(text: string, file: string, changes: readonly ThresholdChange[]): string {
  const current = parsePolicy(text, file).policy;
  const doc = parseDocument(text);
  const edits = [...versionEdits(text, doc, current.version)];
  for (const [id, list] of byCategory(changes)) {
    const category = findCategory(doc.get('categories', true), id) ?? fail(`no category "${id}" in ${file}`);
    edits.push(...thresholdEdits(text, category, list));
  }
  const draft = apply(text, edits);
  try {
    parsePolicy(draft, `${file} (draft v${current.version + 1})`);
  } catch (e) {
    if (e instanceof PolicyError) fail(`the draft would be invalid: ${e.message}`);
    throw e;
  }
  return draft;
}
