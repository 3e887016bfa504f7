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
      <p className="muted">Decided by a human, most similar first (CLIP similarity, 1 is identical).</p>
      <ol className="similar" aria-labelledby="similar-title">
        {q.data.similar.map((s) => (
          <li key={s.item_id}>
            {/* The thumbnail stays blurred: the link's name says what opens, the image adds nothing to it. */}
            <Link
              to={`/items/${s.item_id}`}
              className="thumb-link"
              aria-label={`Open past case: ${s.verdict}, similarity ${s.similarity.toFixed(3)}`}
            >
              <img src={s.image_url} alt="" className="thumb blurred" />
            </Link>
            <div>
              <span className={`verdict verdict-${s.verdict}`}>{s.verdict}</span>{' '}
              <span className="muted">similarity {s.similarity.toFixed(3)}</span>
              <br />
              {s.labels.length > 0 ? s.labels.join(', ') : <span className="muted">no labels</span>}
              <br />
              <small className="muted">
                resolved by {s.resolved_by ?? 'someone'} · {dateTime(s.resolved_at)}
              </small>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
