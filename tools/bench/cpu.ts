// Per-process CPU accounting from /proc: user + system time of every thread of a process, as the kernel
// counts it (what `top` and `ps` show), read before and after a measured window.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (`getconf CLK_TCK`; 100 on every Linux in practice). */
const TICKS_PER_SECOND = (() => {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(out.stdout?.trim());
  return Number.isInteger(n) && n > 0 ? n : 100;
})();

/**
 * utime + stime, in ticks, from the text of /proc/<pid>/stat. The command name (field 2) is in
 * parentheses and may hold spaces and parentheses itself, so fields are counted after the last ')'.
 */
export function statCpuTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3, so utime (14) and stime (15) are at offsets 11 and 12.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unreadable /proc stat: ${stat}`);
  return utime + stime;
}

/** CPU milliseconds a process has used so far (all its threads), or undefined once it has exited. */
export function processCpuMs(pid: number): number | undefined {
  try {
    return (statCpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU ms by group (an app, "postgres", "redis") and by pid within the group. */
export type CpuSnapshot = Record<string, Record<number, number>>;

export function snapshotCpu(groups: Record<string, readonly number[]>): CpuSnapshot {
  const out: CpuSnapshot = {};
  for (const [group, pids] of Object.entries(groups)) {
    out[group] = {};
    for (const pid of pids) {
      const ms = processCpuMs(pid);
      if (ms !== undefined) out[group][pid] = ms;
    }
  }
  return out;
}

/**
 * CPU ms each group used between two snapshots. A pid absent from `before` started in between and counts
 * from zero; one absent from `after` exited in between and its last share is lost (PostgreSQL backends
 * of a connection pool live for the whole run, so this stays theoretical there).
 */
export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [group, pids] of Object.entries(after)) {
    let ms = 0;
    for (const [pid, now] of Object.entries(pids)) ms += now - (before[group]?.[Number(pid)] ?? 0);
    out[group] = ms;
  }
  return out;
}

export function addCpu(total: Record<string, number>, more: Record<string, number>): Record<string, number> {
  const out = { ...total };
  for (const [group, ms] of Object.entries(more)) out[group] = (out[group] ?? 0) + ms;
  return out;
}
