import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TINY_CLIP_DIR } from '@clipguard/testing';
import { HOSTILE_CASES } from './hostile-images';

interface Outcome {
  name: string;
  outcome: string;
  embeddings: number;
}

/**
 * The hostile files of the attack run (issue 10), kept as a regression suite. They go through the whole
 * engine (preprocessing threads, then inference) in a child process, so that a native crash or a hang fails
 * this suite instead of killing jest.
 */
describe('hostile image files', () => {
  let outcomes: Map<string, Outcome>;
  let child: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    child = spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, 'hostile-run.ts'), TINY_CLIP_DIR],
      { encoding: 'utf8', timeout: 240_000 },
    );
    const lines = String(child.stdout).trim().split('\n').filter(Boolean);
    outcomes = new Map(lines.map((l) => JSON.parse(l) as Outcome).map((o) => [o.name, o]));
  }, 250_000);

  it('runs every file without crashing or hanging the process', () => {
    expect({ signal: child.signal, status: child.status }).toEqual({ signal: null, status: 0 });
    expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(30);
    expect([...outcomes.keys()]).toEqual(HOSTILE_CASES.map((c) => c.name));
  });

  it.each(HOSTILE_CASES.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const got = outcomes.get(name);
    expect(got?.outcome).toBe(c.expect);
    expect(got?.embeddings).toBe(c.expect === 'embedding' ? (c.frames ?? 1) : 0);
  });
});
