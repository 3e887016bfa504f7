import { keyAction, toggleLabel } from './keys';

describe('item view keyboard', () => {
  it('maps A B E S J K V ? and 1–9 to their actions, either case', () => {
    const kinds = ['a', 'B', 'e', 'S', 'j', 'K', 'v', '?'].map((key) => keyAction({ key })?.kind);
    expect(kinds).toEqual(['allow', 'block', 'escalate', 'skip', 'next', 'previous', 'reveal', 'help']);
    expect(keyAction({ key: '1' })).toEqual({ kind: 'label', index: 0 });
    expect(keyAction({ key: '9' })).toEqual({ kind: 'label', index: 8 });
  });

  it('ignores 0, other keys, modified keys and typing in form fields', () => {
    expect(keyAction({ key: '0' })).toBeNull();
    expect(keyAction({ key: 'x' })).toBeNull();
    expect(keyAction({ key: 'Enter' })).toBeNull();
    expect(keyAction({ key: 'a', ctrlKey: true })).toBeNull();
    expect(keyAction({ key: 'b', metaKey: true })).toBeNull();
    expect(keyAction({ key: 'a', targetTag: 'TEXTAREA' })).toBeNull();
    expect(keyAction({ key: 'b', targetTag: 'input' })).toBeNull();
    expect(keyAction({ key: 's', targetTag: 'SELECT' })).toBeNull();
    expect(keyAction({ key: 'e', targetTag: 'DIV', targetEditable: true })).toBeNull();
    // A focused button or checkbox label is not typing: shortcuts still work there.
    expect(keyAction({ key: 'a', targetTag: 'BUTTON' })).toEqual({ kind: 'allow' });
  });

  it('toggles a label on and off, keeping the policy order', () => {
    const all = ['red', 'star', 'heart'];
    expect(toggleLabel([], 'heart', all)).toEqual(['heart']);
    expect(toggleLabel(['heart'], 'red', all)).toEqual(['red', 'heart']);
    expect(toggleLabel(['red', 'heart'], 'red', all)).toEqual(['heart']);
  });
});
