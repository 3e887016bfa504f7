import { escapeHtml } from '@clipguard/reports';
import type { Interval, Rate } from '../stats/intervals';

export function pct(v: number, digits = 1): string {
  if (!Number.isFinite(v)) return '–';
  const floor = 10 ** -digits / 100;
  return v > 0 && v < floor ? `<${(floor * 100).toFixed(digits)}%` : `${(v * 100).toFixed(digits)}%`;
}
export const dec = (v: number, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : '∞');

/** "12.3% [10.1–14.8]" with the interval small (and n where it differs from the row's); "–" without observations. */
export function rateCell(r: Rate & { tooFew?: boolean }, showN = false): string {
  if (r.n === 0) return '<td class="none">–</td>';
  const few = r.tooFew ? ' class="few" title="too few to alert"' : '';
  return `<td${few}>${pct(r.value)} <small>[${pct(r.low)}–${pct(r.high)}]${showN ? ` n=${r.n}` : ''}</small></td>`;
}

export function intervalCell(
  i: Interval,
  digits: number,
  alert: boolean,
  as: (v: number, d: number) => string = dec,
): string {
  const cls = alert ? ' class="alert"' : '';
  return `<td${cls}>${as(i.value, digits)} <small>[${as(i.low, digits)}–${as(i.high, digits)}]</small></td>`;
}

export const esc = escapeHtml;
