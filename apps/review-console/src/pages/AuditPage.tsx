import { useState, type FormEvent } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { get, query } from '../lib/api';
import { dateTime } from '../lib/format';

const PAGE = 100;

interface AuditEntry {
  seq: string;
  kind: string;
  ref: string;
  body: Record<string, unknown>;
  hash: string;
  created_at: string;
}

/** The hash-chained audit log of the user's tenants, newest first, optionally for one reference. */
export function AuditPage() {
  const [ref, setRef] = useState('');
  const [applied, setApplied] = useState('');
  const q = useInfiniteQuery({
    queryKey: ['audit', applied],
    queryFn: ({ pageParam }) =>
      get<{ entries: AuditEntry[] }>(
        `/v1/console/audit${query({ ref: applied, before: pageParam, limit: PAGE })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.entries.length < PAGE ? undefined : last.entries.at(-1)?.seq),
  });
  const entries = q.data?.pages.flatMap((p) => p.entries) ?? [];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied(ref.trim());
  };
  return (
    <section className="page" aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <form className="filters" onSubmit={submit}>
        <label>
          Reference (submission, user, …)
          <input value={ref} onChange={(e) => setRef(e.target.value)} />
        </label>
        <button type="submit">Filter</button>
      </form>
      {q.isError && <p className="error">{q.error.message}</p>}
      <table className="table">
        <caption>{entries.length} entries, newest first</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">Kind</th>
            <th scope="col">Reference</th>
            <th scope="col">Actor</th>
            <th scope="col">Entry</th>
            <th scope="col">Hash</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq}>
              <td className="num">{e.seq}</td>
              <td>{dateTime(e.created_at)}</td>
              <td>{e.kind}</td>
              <td className="mono small-text">{e.ref}</td>
              <td>{actorOf(e.body)}</td>
              <td>
                <details>
                  <summary>body</summary>
                  <pre className="json">{JSON.stringify(e.body, null, 2)}</pre>
                </details>
              </td>
              <td className="mono small-text" title={e.hash}>
                {e.hash.slice(0, 12)}…
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {q.hasNextPage && (
        <p>
          <button type="button" onClick={() => void q.fetchNextPage()} disabled={q.isFetchingNextPage}>
            Older entries
          </button>
        </p>
      )}
    </section>
  );
}

function actorOf(body: Record<string, unknown>): string {
  const a = body.actor as { name?: string; userId?: string | null } | undefined;
  return a?.name ?? a?.userId ?? '—';
}
