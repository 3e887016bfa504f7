import { isMap, isNode, isScalar, type Document, type LineCounter, type Node } from 'yaml';

export interface SourceSpan {
  line: number;
  column: number;
  /** Characters to underline on that line. */
  length: number;
}

type Path = readonly (string | number)[];

function span(counter: LineCounter, node: Node | undefined | null): SourceSpan | undefined {
  if (!node?.range) return undefined;
  const [start, end] = node.range;
  const from = counter.linePos(start);
  const to = counter.linePos(end);
  // Underline to the end of the node when it ends on its first line, else one character.
  const length = to.line === from.line ? Math.max(1, end - start) : 1;
  return { line: from.line, column: from.col, length };
}

/** The value at `path`, or the nearest ancestor that exists (a missing value is reported where its parent is). */
export function valueSpan(doc: Document, counter: LineCounter, path: Path): SourceSpan | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node: unknown = doc.getIn(path.slice(0, depth), true);
    if (isNode(node)) {
      const found = span(counter, node);
      if (found) return found;
    }
  }
  return undefined;
}

/** The key `key` itself in the mapping at `path` (for unknown keys), falling back to the mapping. */
export function keySpan(
  doc: Document,
  counter: LineCounter,
  path: Path,
  key: string,
): SourceSpan | undefined {
  const parent: unknown = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (pair && isScalar(pair.key)) {
      const found = span(counter, pair.key);
      if (found) return found;
    }
  }
  return valueSpan(doc, counter, path);
}

/** Where a missing key should be added: the mapping's first key, so the caret sits on the object's line. */
export function mappingSpan(doc: Document, counter: LineCounter, path: Path): SourceSpan | undefined {
  const node: unknown = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (isMap(node) && node.items.length > 0 && isScalar(node.items[0].key)) {
    return span(counter, node.items[0].key);
  }
  return valueSpan(doc, counter, path);
}

/**
 * A field path as a person reads it: list items that carry an `id` are named by it
 * (`categories[red].thresholds`), others by index.
 */
export function fieldName(value: unknown, path: Path): string {
  let out = '';
  let current: unknown = value;
  for (const segment of path) {
    if (typeof segment === 'number') {
      const item: unknown = Array.isArray(current) ? current[segment] : undefined;
      const id =
        item && typeof item === 'object' && 'id' in item && typeof item.id === 'string' ? item.id : undefined;
      out += id ? `[${id}]` : `[${segment}]`;
      current = item;
    } else {
      out += out ? `.${segment}` : segment;
      current =
        current && typeof current === 'object' ? (current as Record<string, unknown>)[segment] : undefined;
    }
  }
  return out || '(top level)';
}

/** The plain JS value at `path`, or undefined. */
export function valueAt(value: unknown, path: Path): unknown {
  let current = value;
  for (const segment of path) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}
