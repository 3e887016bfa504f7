import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  QUEUE_KINDS,
  type ItemView,
  type QueueFilter,
  type QueueItemSummary,
  type QueueKind,
  type QueueSummary,
} from '@clipguard/contracts/console';
import { get, post, query } from '../lib/api';
import { duration, score, triggerText } from '../lib/format';
import { hasRole, useSession } from '../lib/session';
import { loadWorkflow, QUEUE_TITLES, updateWorkflow } from '../lib/workflow';
import { AgeCell } from '../components/AgeCell';

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
const isQueue = (q: string | undefined): q is QueueKind => QUEUE_KINDS.includes(q as QueueKind);

/** Claims the next item of a queue and opens it; null when the queue (under this filter) is empty. */
export async function openNext(queue: QueueKind, filter: QueueFilter): Promise<ItemView | null> {
  const w = loadWorkflow();
  const { item } = await post<{ item: ItemView | null }>(`/v1/console/queues/${queue}/next`, {
    ...filter,
    exclude: w.skipped.slice(-500),
  });
  return item;
}

export function QueuesPage() {
  const params = useParams();
  const { session } = useSession();
  const navigate = useNavigate();
  const client = useQueryClient();
  const leads = hasRole(session, 'lead', 'admin');
  const summaries = useQuery({
    queryKey: ['queues'],
    queryFn: () => get<{ queues: QueueSummary[] }>('/v1/console/queues'),
    refetchInterval: 15_000,
  });
  const kinds = QUEUE_KINDS.filter((k) => summaries.data?.queues.some((q) => q.queue === k));
  const queue: QueueKind = isQueue(params.queue) ? params.queue : 'review';
  const [filter, setFilter] = useState<QueueFilter>(() => loadWorkflow().filter);
  const [draft, setDraft] = useState<QueueFilter>(filter);
  const [empty, setEmpty] = useState(false);
  const items = useQuery({
    queryKey: ['queue-items', queue, filter],
    queryFn: () =>
      get<{ items: QueueItemSummary[] }>(
        `/v1/console/queues/${queue}/items${query({ ...filter, min_age_minutes: filter.min_age_minutes })}`,
      ),
    refetchInterval: 15_000,
  });
  const start = useMutation({
    mutationFn: () => openNext(queue, filter),
    onSuccess: async (item) => {
      if (!item) return setEmpty(true);
      await navigate(`/items/${item.id}`);
    },
  });
  const release = useMutation({
    mutationFn: (id: string) => post(`/v1/console/items/${id}/release`),
    onSettled: () => client.invalidateQueries({ queryKey: ['queue-items'] }),
  });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const clean: QueueFilter = {
      ...(draft.tenant && { tenant: draft.tenant }),
      ...(draft.category && { category: draft.category.trim() }),
      ...(draft.trigger && { trigger: draft.trigger.trim() }),
      ...(draft.min_age_minutes !== undefined && { min_age_minutes: draft.min_age_minutes }),
    };
    setFilter(clean);
    setEmpty(false);
    updateWorkflow((w) => ({ ...w, filter: clean }));
  };
  const tenants = [...new Set(session.memberships.map((m) => m.tenant))];
  const mine = summaries.data?.queues.filter((q) => q.queue === queue) ?? [];

  return (
    <section className="page" aria-labelledby="queues-title">
      <div className="page-head">
        <h1 id="queues-title">Queues</h1>
        <button
          type="button"
          className="primary"
          onClick={() => start.mutate()}
          disabled={start.isPending || !kinds.includes(queue)}
        >
          {start.isPending ? 'Claiming…' : `Start reviewing: ${QUEUE_TITLES[queue]}`}
        </button>
      </div>
      {start.isError && (
        <p className="error" role="alert">
          {start.error.message}
        </p>
      )}
      {empty && (
        <p className="notice" role="status">
          Nothing left to claim in this queue with these filters.
        </p>
      )}

      <div className="summary-grid" role="list" aria-label="Queue summaries">
        {summaries.data?.queues.map((q) => (
          <Link
            role="listitem"
            key={`${q.queue}-${q.tenant}`}
            to={`/queues/${q.queue}`}
            className={`summary ${q.queue === queue ? 'current' : ''} ${q.breaching ? 'breach' : ''}`}
          >
            <span className="summary-title">
              {QUEUE_TITLES[q.queue]} <small>{q.tenant}</small>
            </span>
            <span className="summary-depth">{q.depth}</span>
            <span className="summary-meta">
              {q.claimed} claimed · oldest {duration(q.oldest_age_seconds)} / SLA {duration(q.sla_seconds)}
              {q.breaching > 0 && <strong> · {q.breaching} over SLA</strong>}
            </span>
          </Link>
        ))}
      </div>

      <nav className="tabs" aria-label="Queue">
        {kinds.map((k) => (
          <Link key={k} to={`/queues/${k}`} aria-current={k === queue ? 'page' : undefined}>
            {QUEUE_TITLES[k]}
          </Link>
        ))}
      </nav>

      <form className="filters" onSubmit={apply} aria-label="Filters">
        <label>
          Tenant
          <select
            value={draft.tenant ?? ''}
            onChange={(e) => setDraft({ ...draft, tenant: e.target.value || undefined })}
          >
            <option value="">all</option>
            {tenants.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Category
          <input
            value={draft.category ?? ''}
            placeholder="e.g. star"
            onChange={(e) => setDraft({ ...draft, category: e.target.value || undefined })}
          />
        </label>
        <label>
          Trigger
          <select
            value={draft.trigger ?? ''}
            onChange={(e) => setDraft({ ...draft, trigger: e.target.value || undefined })}
          >
            <option value="">any</option>
            <option value="verdict">policy verdict</option>
            <option value="sample:allow">QA sample of allows</option>
            <option value="sample:block">QA sample of blocks</option>
            <option value="escalated">escalated</option>
            <option value="appeal">appeal</option>
          </select>
        </label>
        <label>
          Older than (min)
          <input
            type="number"
            min={0}
            value={draft.min_age_minutes ?? ''}
            onChange={(e) =>
              setDraft({
                ...draft,
                min_age_minutes: e.target.value === '' ? undefined : Number(e.target.value),
              })
            }
          />
        </label>
        <button type="submit">Apply</button>
      </form>

      <h2 className="sr-only">Items by priority</h2>
      {items.isError && <p className="error">{items.error.message}</p>}
      <table className="table">
        <caption>
          {QUEUE_TITLES[queue]}: {count(items.data?.items.length ?? 0, 'item')} by priority
          {mine.length > 0 && ` (SLA ${duration(mine[0].sla_seconds)})`}
        </caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Tenant</th>
            <th scope="col">Top category</th>
            <th scope="col">Severity</th>
            <th scope="col">Score</th>
            <th scope="col">Trigger</th>
            <th scope="col">Age / SLA</th>
            <th scope="col">Claimed by</th>
            {leads && <th scope="col">Lead</th>}
          </tr>
        </thead>
        <tbody>
          {items.data?.items.map((it, i) => (
            <tr key={it.id}>
              <td>{i + 1}</td>
              <td>{it.tenant}</td>
              <td>
                <Link to={`/items/${it.id}`}>{it.top_category ?? '—'}</Link>
              </td>
              <td>{it.severity && <span className={`sev sev-${it.severity}`}>{it.severity}</span>}</td>
              <td className="num">{score(it.top_score)}</td>
              <td>{triggerText(it.trigger)}</td>
              <td>
                <AgeCell age={it.age_seconds} sla={it.sla_seconds} />
              </td>
              <td>
                {it.claimed_by === null ? (
                  <span className="muted">free</span>
                ) : it.claimed_by === session.user.id ? (
                  'you'
                ) : (
                  <span title={`user ${it.claimed_by}`}>someone else</span>
                )}
              </td>
              {leads && (
                <td>
                  {it.claimed_by && (
                    <button
                      type="button"
                      className="small"
                      onClick={() => release.mutate(it.id)}
                      aria-label={`Release item ${i + 1}`}
                    >
                      Release
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
          {items.data?.items.length === 0 && (
            <tr>
              <td colSpan={leads ? 9 : 8} className="muted center">
                The queue is empty.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
