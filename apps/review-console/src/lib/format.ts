/** 75 → "1m 15s", 7300 → "2h 1m": ages a moderator reads at a glance. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

export const percent = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined ? '–' : `${(v * 100).toFixed(digits)}%`;

export const score = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(3));

export const dateTime = (iso: string) => new Date(iso).toLocaleString(undefined, { hour12: false });

/** How an item's trigger reads: `band:star` → "star band", `sample:allow` → "QA sample of an allow". */
export function triggerText(trigger: string): string {
  const [kind, arg] = trigger.split(':');
  if (kind === 'band' && arg) return `${arg} review band`;
  if (kind === 'sample' && arg) return `QA sample (${arg})`;
  if (kind === 'verdict') return 'policy verdict review';
  return trigger;
}
