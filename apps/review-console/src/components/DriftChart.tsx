import type { DriftReport } from '../lib/fairness-wire';

const VERDICTS = ['allow', 'review', 'block'] as const;
const H = 140;

/** The share of each verdict per day, as stacked columns. */
export function DriftChart({ days }: { days: DriftReport['days'] }) {
  if (days.length === 0) return <p className="muted">No decisions in the window.</p>;
  const colW = Math.max(10, Math.min(40, Math.floor(640 / days.length) - 6));
  const width = days.length * (colW + 6) + 40;
  return (
    <figure className="drift">
      <svg
        width={width}
        height={H + 34}
        viewBox={`0 0 ${width} ${H + 34}`}
        className="drift-chart"
        role="img"
        aria-label={days
          .map(
            (d) =>
              `${d.day}: ${VERDICTS.map((v) => `${v} ${Math.round(d.verdicts[v].share * 100)}%`).join(', ')}`,
          )
          .join('; ')}
      >
        {days.map((d, i) => {
          let y = H;
          const x = 30 + i * (colW + 6);
          return (
            <g key={d.day}>
              {VERDICTS.map((v) => {
                const h = d.decisions ? d.verdicts[v].share * H : 0;
                y -= h;
                return <rect key={v} x={x} y={y} width={colW} height={h} className={`bar-${v}`} />;
              })}
              {(days.length <= 14 || i % Math.ceil(days.length / 14) === 0) && (
                <text x={x + colW / 2} y={H + 14} textAnchor="middle" className="axis">
                  {d.day.slice(5)}
                </text>
              )}
              <text x={x + colW / 2} y={H + 28} textAnchor="middle" className="axis">
                {d.decisions}
              </text>
            </g>
          );
        })}
        <text x={0} y={10} className="axis">
          100%
        </text>
        <text x={0} y={H} className="axis">
          0
        </text>
      </svg>
      <figcaption className="legend">
        {VERDICTS.map((v) => (
          <span key={v}>
            <i className={`swatch bar-${v}`} /> {v}
          </span>
        ))}
        <span className="muted">(second row: decisions that day)</span>
      </figcaption>
    </figure>
  );
}
