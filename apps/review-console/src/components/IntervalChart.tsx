import type { WireInterval } from '../lib/fairness-wire';
import { intervalSegment, scaleX } from '../lib/geometry';

export interface IntervalRow {
  label: string;
  sub: string;
  interval: WireInterval;
  /** Too few observations: drawn grey, never an alert. */
  muted: boolean;
}

const LABEL_W = 150;
const PLOT_W = 300;
const ROW_H = 30;

/** Point estimates with interval bars, one row per group, with optional reference lines (0.8, parity). */
export function IntervalChart({
  rows,
  min,
  max,
  lines = [],
  format,
}: {
  rows: IntervalRow[];
  min: number;
  max: number;
  lines?: { at: number; label: string; kind: 'rule' | 'parity' }[];
  format: (v: number) => string;
}) {
  const height = rows.length * ROW_H + 28;
  const x = (v: number) => LABEL_W + scaleX(v, PLOT_W, min, max);
  const ticks = [min, (min + max) / 2, max];
  return (
    <svg
      className="interval-chart"
      viewBox={`0 0 ${LABEL_W + PLOT_W + 60} ${height}`}
      role="img"
      aria-label={rows
        .map(
          (r) =>
            `${r.label}: ${r.interval.value === null ? 'no value' : format(r.interval.value)}${r.muted ? ' (too few)' : ''}`,
        )
        .join('; ')}
    >
      {ticks.map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={4} y2={height - 20} className="grid" />
          <text x={x(t)} y={height - 6} textAnchor="middle" className="axis">
            {format(t)}
          </text>
        </g>
      ))}
      {lines.map((l) => (
        <g key={l.label}>
          <line x1={x(l.at)} x2={x(l.at)} y1={0} y2={height - 20} className={`ref ref-${l.kind}`} />
          <text
            x={x(l.at) + (l.kind === 'rule' ? -3 : 3)}
            y={10}
            textAnchor={l.kind === 'rule' ? 'end' : 'start'}
            className={`ref-label ref-${l.kind}`}
          >
            {l.label}
          </text>
        </g>
      ))}
      {rows.map((r, i) => {
        const y = 16 + i * ROW_H;
        const [a, b] = intervalSegment(r.interval.low, r.interval.high, PLOT_W, min, max);
        const v = r.interval.value;
        return (
          <g key={r.label} className={r.muted ? 'muted-row' : ''}>
            <text x={0} y={y + 4} className="row-label">
              {r.label}
            </text>
            {r.sub && (
              <text x={0} y={y + 16} className="row-sub">
                {r.sub}
              </text>
            )}
            {v !== null && (
              <>
                <line x1={LABEL_W + a} x2={LABEL_W + b} y1={y} y2={y} className="iv" />
                <line x1={LABEL_W + a} x2={LABEL_W + a} y1={y - 5} y2={y + 5} className="iv" />
                <line x1={LABEL_W + b} x2={LABEL_W + b} y1={y - 5} y2={y + 5} className="iv" />
                <circle cx={x(v)} cy={y} r={5} className="pt" />
                <text x={LABEL_W + PLOT_W + 8} y={y + 4} className="row-value">
                  {format(v)}
                </text>
              </>
            )}
          </g>
        );
      })}
    </svg>
  );
}
