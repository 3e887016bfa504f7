import type { Policy } from '../schema';

/** One edit between two policy versions, located like the error messages (`categories[star].action`). */
export interface PolicyChange {
  where: string;
  change: 'changed' | 'added' | 'removed';
  from?: string;
  to?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);
const hasId = (v: unknown): v is { id: string } => isObject(v) && typeof v.id === 'string';
const show = (v: unknown) => JSON.stringify(v);
const join = (where: string, key: string) => (where ? `${where}.${key}` : key);

function diff(where: string, a: unknown, b: unknown, out: PolicyChange[]): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  if (a === undefined) {
    out.push({ where, change: 'added', to: show(b) });
  } else if (b === undefined) {
    out.push({ where, change: 'removed', from: show(a) });
  } else if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      diff(join(where, key), a[key], b[key], out);
  } else if (Array.isArray(a) && Array.isArray(b) && (a as unknown[]).concat(b).every(hasId)) {
    // Lists of things with ids (categories, attributes) are compared item by item, by id.
    const byId = (xs: unknown[]) => new Map(xs.filter(hasId).map((x) => [x.id, x]));
    const [ma, mb] = [byId(a), byId(b)];
    for (const id of new Set([...ma.keys(), ...mb.keys()])) {
      const [x, y] = [ma.get(id), mb.get(id)];
      if (!x) out.push({ where: `${where}[${id}]`, change: 'added' });
      else if (!y) out.push({ where: `${where}[${id}]`, change: 'removed' });
      else diff(`${where}[${id}]`, x, y, out);
    }
  } else if (Array.isArray(a) && Array.isArray(b)) {
    // Prompt and template lists: what was added and what was removed (their order does not matter).
    const [sa, sb] = [new Set(a.map(show)), new Set(b.map(show))];
    for (const x of sa) if (!sb.has(x)) out.push({ where, change: 'removed', from: x });
    for (const y of sb) if (!sa.has(y)) out.push({ where, change: 'added', to: y });
  } else {
    out.push({ where, change: 'changed', from: show(a), to: show(b) });
  }
}

/** What was edited between two versions (the version number itself left out). Pure. */
export function policyChanges(a: Policy, b: Policy): PolicyChange[] {
  const out: PolicyChange[] = [];
  diff('', { ...a, version: undefined }, { ...b, version: undefined }, out);
  return out;
}

export function formatPolicyChange(c: PolicyChange): string {
  if (c.change === 'changed') return `${c.where}: ${c.from} → ${c.to}`;
  if (c.change === 'added') return `${c.where}: + ${c.to ?? '(new)'}`;
  return `${c.where}: − ${c.from ?? '(gone)'}`;
}
