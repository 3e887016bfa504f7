import { breakDue, neighbour, visit, type Workflow } from './workflow';

const w = (visited: string[]): Workflow => ({ filter: {}, visited, skipped: [], breakDismissedAt: 0 });

describe("a moderator's walk through the queue", () => {
  it('records each item once and walks back and forth with J and K', () => {
    const walked = visit(visit(visit(w([]), 'a'), 'b'), 'a');
    expect(walked.visited).toEqual(['a', 'b']);
    expect(neighbour(walked, 'b', -1)).toBe('a');
    expect(neighbour(walked, 'a', 1)).toBe('b');
    expect(neighbour(walked, 'b', 1)).toBeUndefined();
    expect(neighbour(walked, 'zzz', -1)).toBeUndefined();
  });

  it('reminds of a break every N items viewed, until dismissed for N more, and never when N is 0', () => {
    expect(breakDue(49, 50, 0)).toBe(false);
    expect(breakDue(50, 50, 0)).toBe(true);
    expect(breakDue(60, 50, 50)).toBe(false);
    expect(breakDue(100, 50, 50)).toBe(true);
    expect(breakDue(500, 0, 0)).toBe(false);
  });
});
