import { useQuery } from '@tanstack/react-query';
import type { ConsoleStats } from '@clipguard/contracts/console';
import { get } from '../lib/api';
import { duration, percent } from '../lib/format';
import { scaleX } from '../lib/geometry';
import { QUEUE_TITLES } from '../lib/workflow';

export function StatsPage() {
  const q = useQuery({
    queryKey: ['stats'],
    queryFn: () => get<ConsoleStats>('/v1/console/stats'),
    refetchInterval: 30_000,
  });
  if (q.isPending) return <p className="loading">Loading stats…</p>;
  if (q.isError) return <p className="error">{q.error.message}</p>;
  const s = q.data;
  const maxDepth = Math.max(1, ...s.queues.map((x) => x.depth));
  const days = [...new Set(s.per_moderator.map((p) => p.day))].sort().reverse();
  const users = [...new Set(s.per_moderator.map((p) => p.user))].sort();
  const t = s.time_to_decision_seconds;
  return (
    <section className="page" aria-labelledby="stats-title">
      <h1 id="stats-title">Stats</h1>
      <div className="kpis">
        <Kpi label="Time to decision p50" value={t.p50 === null ? '–' : duration(t.p50)} />
        <Kpi label="Time to decision p90" value={t.p90 === null ? '–' : duration(t.p90)} />
        <Kpi label="Time to decision p99" value={t.p99 === null ? '–' : duration(t.p99)} />
        <Kpi
          label="Appeal overturn rate"
          value={percent(s.appeals.overturn_rate)}
          sub={`${s.appeals.overturned} of ${s.appeals.decided} decided`}
        />
      </div>

      <div className="two-col">
        <section className="panel" aria-labelledby="depth-title">
          <h2 id="depth-title">Queue depth and oldest item</h2>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Queue</th>
                <th scope="col">Tenant</th>
                <th scope="col">Depth</th>
                <th scope="col">Oldest / SLA</th>
              </tr>
            </thead>
            <tbody>
              {s.queues.map((x) => (
                <tr key={`${x.queue}-${x.tenant}`} className={x.breaching ? 'breach-row' : ''}>
                  <td>{QUEUE_TITLES[x.queue]}</td>
                  <td>{x.tenant}</td>
                  <td>
                    <span className="bar-num">{x.depth}</span>
                    <svg width={120} height={12} aria-hidden="true" className="mini-bar">
                      <rect width={scaleX(x.depth, 120, 0, maxDepth)} height={12} rx={2} />
                    </svg>
                  </td>
                  <td>
                    {duration(x.oldest_age_seconds)} / {duration(x.sla_seconds)}
                    {x.breaching > 0 && <strong className="bad"> · {x.breaching} over</strong>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>

        <section className="panel" aria-labelledby="qa-title">
          <h2 id="qa-title">QA agreement with the automatic verdict</h2>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Category</th>
                <th scope="col">Items</th>
                <th scope="col">Agreement</th>
              </tr>
            </thead>
            <tbody>
              {s.qa_agreement.map((a) => (
                <tr key={a.category}>
                  <td>{a.category}</td>
                  <td className="num">{a.items}</td>
                  <td>
                    <span className="bar-num">{percent(a.agreement)}</span>
                    <svg width={120} height={12} aria-hidden="true" className="mini-bar agree">
                      <rect width={scaleX(a.agreement ?? 0, 120)} height={12} rx={2} />
                    </svg>
                  </td>
                </tr>
              ))}
              {s.qa_agreement.length === 0 && (
                <tr>
                  <td colSpan={3} className="muted center">
                    No QA samples resolved yet.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </section>
      </div>

      <section className="panel" aria-labelledby="per-mod-title">
        <h2 id="per-mod-title">Items resolved per moderator per day</h2>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Moderator</th>
              {days.map((d) => (
                <th scope="col" key={d}>
                  {d}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u}>
                <th scope="row">{u}</th>
                {days.map((d) => (
                  <td key={d} className="num">
                    {s.per_moderator.find((p) => p.user === u && p.day === d)?.resolved ?? 0}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </section>
  );
}

function Kpi({ label, value, sub }: { label: string; value: string; sub?: string }) {
  return (
    <div className="kpi">
      <span className="kpi-label">{label}</span>
      <span className="kpi-value">{value}</span>
      {sub && <span className="kpi-sub">{sub}</span>}
    </div>
  );
}
