import { cpuDelta, processCpuMs, statCpuTicks } from './cpu';

describe('per-process CPU from /proc', () => {
  it('reads utime + stime after the command name, whatever the name holds', () => {
    // Fields 14 and 15 (utime, stime) of a /proc/<pid>/stat line whose name has spaces and parentheses.
    const stat =
      '4242 (node (my app) x) S 1 4242 4242 0 -1 4194304 5000 0 0 0 1234 567 0 0 20 0 11 0 100 1000000 20000';
    expect(statCpuTicks(stat)).toBe(1234 + 567);
    expect(() => statCpuTicks('4242 (x) S 1')).toThrow('unreadable');
  });

  it("reads this process's own CPU time, and nothing for a process that does not exist", () => {
    const before = processCpuMs(process.pid) ?? NaN;
    let x = 0;
    for (let i = 0; i < 3e7; i++) x += Math.sqrt(i);
    expect(x).toBeGreaterThan(0);
    expect(processCpuMs(process.pid)).toBeGreaterThan(before);
    expect(processCpuMs(2 ** 22 + 1)).toBeUndefined();
  });

  it('adds each group up over its pids, counting a pid that appeared in between from zero', () => {
    const before = { 'clip-worker': { 10: 1000 }, postgres: { 20: 50, 21: 70 } };
    const after = { 'clip-worker': { 10: 4000 }, postgres: { 20: 80, 21: 90, 22: 15 } };
    expect(cpuDelta(before, after)).toEqual({ 'clip-worker': 3000, postgres: 30 + 20 + 15 });
  });
});
