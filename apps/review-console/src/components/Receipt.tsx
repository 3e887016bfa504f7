import { useState } from 'react';
import type { ItemView } from '@clipguard/contracts/console';
import { dateTime, score, triggerText } from '../lib/format';
import { PolicyText } from './PolicyText';
import { ScoreBar } from './ScoreBar';

/** Why the item is here: every category's score against its thresholds and what made the decision. */
export function Receipt({ item }: { item: ItemView }) {
  const [policyOpen, setPolicyOpen] = useState(false);
  const d = item.decision;
  const m = item.metadata;
  return (
    <>
      <section className="panel" aria-labelledby="receipt-title">
        <h2 id="receipt-title">Decision receipt</h2>
        <p>
          Automatic verdict <span className={`verdict verdict-${d.verdict}`}>{d.verdict}</span> · safety score{' '}
          {score(d.safety_score)} · trigger {triggerText(item.trigger)}
        </p>
        <table className="table receipt">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Category</th>
              <th scope="col">Score vs thresholds</th>
              <th scope="col">Best-matching prompt</th>
            </tr>
          </thead>
          <tbody>
            {d.categories.map((c, i) => (
              <tr key={c.id} className={c.crossed ? `crossed-${c.crossed}` : ''}>
                <td>{i < 9 ? <kbd>{i + 1}</kbd> : ''}</td>
                <td>
                  <strong>{c.title}</strong>
                  <br />
                  <small className="muted">
                    {c.severity} · {c.action} · {score(c.score)}
                    {c.crossed && ` · crossed ${c.crossed}`}
                  </small>
                </td>
                <td>
                  <ScoreBar c={c} />
                </td>
                <td className="prompt">{c.top_prompt ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl className="facts">
          <dt>Policy</dt>
          <dd>
            <button type="button" className="link" onClick={() => setPolicyOpen(true)}>
              {d.policy.id} v{d.policy.version}
            </button>{' '}
            <span className="mono muted" title={d.policy.hash}>
              {d.policy.hash.slice(0, 16)}…
            </span>
          </dd>
          <dt>Model</dt>
          <dd className="mono">{d.model_id}</dd>
          <dt>Shadow</dt>
          <dd>
            {d.shadow ? (
              <>
                <span className={`verdict verdict-${d.shadow.verdict}`}>{d.shadow.verdict}</span> by{' '}
                {d.shadow.policy.id} v{d.shadow.policy.version}
              </>
            ) : (
              <span className="muted">none</span>
            )}
          </dd>
          <dt>Submission</dt>
          <dd className="mono">{item.submission_id}</dd>
          <dt>Platform user</dt>
          <dd>{m.user_id ?? <span className="muted">—</span>}</dd>
          <dt>Post</dt>
          <dd>{m.post_id ?? <span className="muted">—</span>}</dd>
          <dt>Platform labels</dt>
          <dd>{m.labels?.length ? m.labels.join(', ') : <span className="muted">—</span>}</dd>
        </dl>
      </section>
      <section className="panel" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <ol className="history">
          {item.history.map((h, i) => (
            <li key={i}>
              <time dateTime={h.at}>{dateTime(h.at)}</time> <strong>{h.kind}</strong>
              {h.actor && <span className="muted"> · {h.actor}</span>}
              <div>{h.summary}</div>
            </li>
          ))}
        </ol>
      </section>
      {policyOpen && (
        <PolicyText id={d.policy.id} version={d.policy.version} onClose={() => setPolicyOpen(false)} />
      )}
    </>
  );
}
