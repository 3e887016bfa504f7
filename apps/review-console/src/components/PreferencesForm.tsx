import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ConsoleSession, Preferences } from '@clipguard/contracts/console';
import { api } from '../lib/api';
import { SESSION_KEY, useSession } from '../lib/session';

/** The moderator's wellness defaults, saved on the server so they follow them to any browser. */
export function PreferencesForm({ prefs }: { prefs: Preferences }) {
  const { refresh } = useSession();
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (p: Preferences) => api<Preferences>('PUT', '/v1/console/me/preferences', p),
    // Shown at once; the server's answer (or, on an error, the stored preferences) follows.
    onMutate: (p) =>
      client.setQueryData<ConsoleSession | null>(SESSION_KEY, (s) => s && { ...s, preferences: p }),
    onSettled: () => refresh(),
  });
  const set = (change: Partial<Preferences>) => save.mutate({ ...prefs, ...change });
  return (
    <fieldset className="prefs" aria-label="Wellness preferences">
      <label>
        <input type="checkbox" checked={prefs.blur} onChange={(e) => set({ blur: e.target.checked })} /> Blur
        images
      </label>
      <label>
        <input
          type="checkbox"
          checked={prefs.reveal === 'hover'}
          disabled={!prefs.blur}
          onChange={(e) => set({ reveal: e.target.checked ? 'hover' : 'click' })}
        />{' '}
        Reveal on hover
      </label>
      <label>
        <input
          type="checkbox"
          checked={prefs.grayscale}
          onChange={(e) => set({ grayscale: e.target.checked })}
        />{' '}
        Grayscale
      </label>
      <label>
        Break reminder every{' '}
        <input
          type="number"
          className="tiny"
          min={0}
          max={1000}
          value={prefs.break_after}
          onChange={(e) => {
            const n = Number(e.target.value);
            if (Number.isInteger(n) && n >= 0 && n <= 1000) set({ break_after: n });
          }}
        />{' '}
        items
      </label>
      {save.isError && <span className="error">{save.error.message}</span>}
    </fieldset>
  );
}
