import type { QueueFilter, QueueKind } from '@clipguard/contracts/console';

/**
 * The moderator's run through a queue in this browser tab: the filter they started with, the items they
 * opened (J/K walk them), the ones they skipped (never offered again this session), and where the break
 * reminder was last dismissed. Kept in sessionStorage so a reload does not lose it.
 */
export interface Workflow {
  filter: QueueFilter;
  visited: string[];
  skipped: string[];
  breakDismissedAt: number;
}

const KEY = 'clipguard.workflow';
const empty = (): Workflow => ({ filter: {}, visited: [], skipped: [], breakDismissedAt: 0 });

export function loadWorkflow(): Workflow {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? { ...empty(), ...(JSON.parse(raw) as Partial<Workflow>) } : empty();
  } catch {
    return empty();
  }
}

export function saveWorkflow(w: Workflow): void {
  sessionStorage.setItem(KEY, JSON.stringify(w));
}

export function updateWorkflow(change: (w: Workflow) => Workflow): Workflow {
  const w = change(loadWorkflow());
  saveWorkflow(w);
  return w;
}

/** Records an opened item once, at the end of the walk. */
export const visit = (w: Workflow, id: string): Workflow =>
  w.visited.includes(id) ? w : { ...w, visited: [...w.visited, id].slice(-200) };

/** The item before or after `id` in the walk, if any. */
export function neighbour(w: Workflow, id: string, step: 1 | -1): string | undefined {
  const i = w.visited.indexOf(id);
  return i < 0 ? undefined : w.visited[i + step];
}

/** Whether the break reminder is due: every `breakAfter` items viewed, until dismissed for that many more. */
export function breakDue(viewed: number, breakAfter: number, dismissedAt: number): boolean {
  return breakAfter > 0 && viewed >= breakAfter && viewed >= dismissedAt + breakAfter;
}

export const QUEUE_TITLES: Record<QueueKind, string> = {
  review: 'Review',
  qa: 'QA sample',
  escalated: 'Escalated',
  appeal: 'Appeals',
};
