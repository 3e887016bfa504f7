import { useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { get, query } from '../lib/api';
import { dateTime, score } from '../lib/format';
import { tenantsAs, useSession } from '../lib/session';

const PAGE = 100;

interface DecisionRow {
  submission_id: string;
  tenant: string;
  verdict: string;
  safety_score: number;
  policy_id: string;
  policy_version: number;
  model_id: string;
  created_at: string;
}

export function DecisionsPage() {
  const { session } = useSession();
  const tenants = tenantsAs(session, 'auditor', 'lead', 'admin');
  const [tenant, setTenant] = useState('');
  const [verdict, setVerdict] = useState('');
  const q = useInfiniteQuery({
    queryKey: ['decisions', tenant, verdict],
    queryFn: ({ pageParam }) =>
      get<{ items: DecisionRow[] }>(
        `/v1/console/decisions${query({ tenant, verdict, before: pageParam, limit: PAGE })}`,
      ),
    initialPageParam: undefined as string | undefined,
    // Older pages by time: the next page starts before the oldest decision shown.
    getNextPageParam: (last) => (last.items.length < PAGE ? undefined : last.items.at(-1)?.created_at),
  });
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="page" aria-labelledby="decisions-title">
      <h1 id="decisions-title">Decisions</h1>
      <div className="filters">
        <label>
          Tenant
          <select value={tenant} onChange={(e) => setTenant(e.target.value)}>
            <option value="">all</option>
            {tenants.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Verdict
          <select value={verdict} onChange={(e) => setVerdict(e.target.value)}>
            <option value="">any</option>
            <option>allow</option>
            <option>review</option>
            <option>block</option>
          </select>
        </label>
      </div>
      {q.isError && <p className="error">{q.error.message}</p>}
      <table className="table">
        <caption>The newest {rows.length} automatic decisions</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Tenant</th>
            <th scope="col">Submission</th>
            <th scope="col">Verdict</th>
            <th scope="col">Safety score</th>
            <th scope="col">Policy</th>
            <th scope="col">Model</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.submission_id}>
              <td>{dateTime(d.created_at)}</td>
              <td>{d.tenant}</td>
              <td className="mono">{d.submission_id}</td>
              <td>
                <span className={`verdict verdict-${d.verdict}`}>{d.verdict}</span>
              </td>
              <td className="num">{score(d.safety_score)}</td>
              <td>
                {d.policy_id} v{d.policy_version}
              </td>
              <td className="mono small-text">{d.model_id}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {q.hasNextPage && (
        <p>
          <button type="button" onClick={() => void q.fetchNextPage()} disabled={q.isFetchingNextPage}>
            Older decisions
          </button>
        </p>
      )}
    </section>
  );
}
