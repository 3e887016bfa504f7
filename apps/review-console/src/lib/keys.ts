/**
 * The item view's keyboard: one key, one action, so a moderator never leaves the keyboard.
 * Pure, so the mapping is unit-tested without a browser.
 */
export type KeyAction =
  | { kind: 'allow' }
  | { kind: 'block' }
  | { kind: 'escalate' }
  | { kind: 'skip' }
  | { kind: 'next' }
  | { kind: 'previous' }
  | { kind: 'label'; index: number }
  | { kind: 'help' }
  | { kind: 'reveal' };

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** The element the key went to: typing in a form field is never a shortcut. */
  targetTag?: string;
  targetEditable?: boolean;
}

const TYPING = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

export const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: 'A', what: 'allow (on an appeal: overturn)' },
  { keys: 'B', what: 'block (on an appeal: uphold)' },
  { keys: 'E', what: 'escalate to a lead, with a reason' },
  { keys: 'S', what: 'skip: release the item and take the next one' },
  { keys: 'J / K', what: 'next / previous item of this session' },
  { keys: '1–9', what: 'toggle the category label with that number' },
  { keys: 'V', what: 'reveal or hide the image' },
  { keys: '?', what: 'this help' },
];

export function keyAction(e: KeyInput): KeyAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.targetEditable || (e.targetTag && TYPING.has(e.targetTag.toUpperCase()))) return null;
  if (e.key === '?') return { kind: 'help' };
  if (/^[1-9]$/.test(e.key)) return { kind: 'label', index: Number(e.key) - 1 };
  switch (e.key.toLowerCase()) {
    case 'a':
      return { kind: 'allow' };
    case 'b':
      return { kind: 'block' };
    case 'e':
      return { kind: 'escalate' };
    case 's':
      return { kind: 'skip' };
    case 'j':
      return { kind: 'next' };
    case 'k':
      return { kind: 'previous' };
    case 'v':
      return { kind: 'reveal' };
    default:
      return null;
  }
}

/** Toggles one label in a list, keeping the policy's order of `all`. */
export function toggleLabel(labels: readonly string[], label: string, all: readonly string[]): string[] {
  const set = new Set(labels);
  if (set.has(label)) set.delete(label);
  else set.add(label);
  return all.filter((l) => set.has(l));
}
