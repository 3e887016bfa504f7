import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { SimilarCase } from '@clipguard/contracts/console';
import { get } from '../lib/api';
import { dateTime } from '../lib/format';

/**
 * The nearest images a human already decided, for consistency. Hidden when the server has no such
 * endpoint (an older API answers 404) or nothing similar was decided yet.
 */
export function SimilarCases({ itemId }: { itemId: string }) {
  const q = useQuery({
    queryKey: ['similar', itemId],
    queryFn: () => get<{ similar: SimilarCase[] }>(`/v1/console/items/${itemId}/similar`),
    retry: false,
    staleTime: 60_000,
  });
  if (!q.data || q.data.similar.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="similar-title">
      <h2 id="similar-title">Similar past cases</h2>
      <ul className="similar">
        {q.data.similar.map((s) => (
          <li key={s.item_id}>
            <Link to={`/items/${s.item_id}`}>
              <img src={s.image_url} alt="" className="thumb blurred" />
            </Link>
            <div>
              <span className={`verdict verdict-${s.verdict}`}>{s.verdict}</span>{' '}
              <span className="muted">similarity {s.similarity.toFixed(2)}</span>
              <br />
              {s.labels.length > 0 ? s.labels.join(', ') : <span className="muted">no labels</span>}
              <br />
              <small className="muted">
                {s.resolved_by ?? 'someone'} · {dateTime(s.resolved_at)}
              </small>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
