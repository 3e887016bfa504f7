import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConsoleBank, ItemView, QueueKind } from '@clipguard/contracts/console';
import { ApiError, get, isNotFound, post } from '../lib/api';
import { dateTime } from '../lib/format';
import { keyAction, toggleLabel, type KeyAction } from '../lib/keys';
import { hasRole, useSession } from '../lib/session';
import { breakDue, loadWorkflow, neighbour, QUEUE_TITLES, updateWorkflow, visit } from '../lib/workflow';
import { AgeCell } from '../components/AgeCell';
import { Dialog } from '../components/Dialog';
import { HelpDialog } from '../components/HelpDialog';
import { ImageViewer } from '../components/ImageViewer';
import { PreferencesForm } from '../components/PreferencesForm';
import { Receipt } from '../components/Receipt';
import { SimilarCases } from '../components/SimilarCases';
import { openNext } from './QueuesPage';
import { NotFoundPage } from './NotFoundPage';

type Action =
  | { kind: 'resolve'; verdict: 'allow' | 'block'; bank?: string }
  | { kind: 'appeal'; decision: 'uphold' | 'overturn' }
  | { kind: 'escalate'; reason: string }
  | { kind: 'skip' };

const RENEW_MS = 120_000;

export function ItemPage() {
  const { id = '' } = useParams();
  const item = useQuery({
    queryKey: ['item', id],
    queryFn: () => get<ItemView>(`/v1/console/items/${id}`),
    retry: false,
  });
  if (item.isPending) return <p className="loading">Loading item…</p>;
  if (item.isError) {
    if (isNotFound(item.error)) return <NotFoundPage what="item" />;
    return (
      <p className="error" role="alert">
        {item.error.message}
      </p>
    );
  }
  return <ItemWork key={item.data.id} item={item.data} />;
}

function ItemWork({ item }: { item: ItemView }) {
  const { session, refresh } = useSession();
  const navigate = useNavigate();
  const client = useQueryClient();
  const prefs = session.preferences;
  const lead = hasRole(session, 'lead', 'admin');
  const mine = item.claim?.user_id === session.user.id;
  const open = !item.status.startsWith('resolved');
  const appeal = item.queue === 'appeal';
  const categoryIds = item.decision.categories.map((c) => c.id);

  const [revealed, setRevealed] = useState(false);
  const [labels, setLabels] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [bank, setBank] = useState('');
  const [dialog, setDialog] = useState<'help' | 'escalate' | null>(null);
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [breakDismissed, setBreakDismissed] = useState(() => loadWorkflow().breakDismissedAt);

  useEffect(() => {
    updateWorkflow((w) => visit(w, item.id));
    // Opening the item counted it as viewed on the server: re-read the count for the break reminder.
    void refresh();
    // Once per item: `refresh` is a new function on every render.
  }, [item.id]);

  useEffect(() => {
    if (!mine || !open) return;
    const t = setInterval(
      () => void post(`/v1/console/items/${item.id}/renew`).catch(() => undefined),
      RENEW_MS,
    );
    return () => clearInterval(t);
  }, [item.id, mine, open]);

  const banks = useQuery({
    queryKey: ['banks'],
    queryFn: () => get<{ banks: ConsoleBank[] }>('/v1/console/banks'),
    enabled: lead && !appeal,
    retry: false,
    staleTime: 60_000,
  });
  const usableBanks = (banks.data?.banks ?? []).filter((b) => b.enabled && b.tenants.includes(item.tenant));

  const goNext = async (queue: QueueKind) => {
    const next = await openNext(queue, loadWorkflow().filter);
    await client.invalidateQueries({ queryKey: ['queue-items'] });
    if (next) {
      client.setQueryData(['item', next.id], next);
      await navigate(`/items/${next.id}`);
    } else {
      await navigate(`/queues/${queue}`);
    }
  };

  const act = useMutation({
    mutationFn: async (a: Action) => {
      switch (a.kind) {
        case 'resolve':
          return post(`/v1/console/items/${item.id}/resolve`, {
            verdict: a.verdict,
            labels,
            ...(note.trim() && { note: note.trim() }),
            ...(a.bank && { bank: a.bank }),
          });
        case 'appeal':
          return post(`/v1/console/items/${item.id}/appeal-decision`, {
            decision: a.decision,
            ...(note.trim() && { note: note.trim() }),
          });
        case 'escalate':
          return post(`/v1/console/items/${item.id}/escalate`, { reason: a.reason });
        case 'skip':
          updateWorkflow((w) => ({ ...w, skipped: [...w.skipped, item.id] }));
          return mine ? post(`/v1/console/items/${item.id}/release`) : undefined;
      }
    },
    onSuccess: async () => {
      setDialog(null);
      await goNext(item.queue);
    },
    onError: (err) =>
      setMessage(
        err instanceof ApiError && err.code === 'CLAIM_LOST'
          ? 'Your claim on this item ended (it went back to the queue). Take the next item.'
          : err.message,
      ),
  });

  const walk = async (step: 1 | -1) => {
    const to = neighbour(loadWorkflow(), item.id, step);
    if (to) await navigate(`/items/${to}`);
    else
      setMessage(
        step === 1 ? 'This is the newest item of your session.' : 'No earlier item in this session.',
      );
  };

  const perform = (a: KeyAction) => {
    if (act.isPending) return;
    switch (a.kind) {
      case 'help':
        return setDialog('help');
      case 'reveal':
        return setRevealed((r) => !r);
      case 'next':
        return void walk(1);
      case 'previous':
        return void walk(-1);
      case 'label': {
        const label = categoryIds[a.index];
        if (label && !appeal) setLabels((l) => toggleLabel(l, label, categoryIds));
        return;
      }
      case 'allow':
      case 'block':
        if (!open) return;
        if (appeal)
          return act.mutate({ kind: 'appeal', decision: a.kind === 'allow' ? 'overturn' : 'uphold' });
        return act.mutate({ kind: 'resolve', verdict: a.kind });
      case 'escalate':
        if (open && !appeal && item.queue !== 'escalated') setDialog('escalate');
        return;
      case 'skip':
        return act.mutate({ kind: 'skip' });
    }
  };
  const performRef = useRef(perform);
  performRef.current = perform;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (dialogOpen()) return;
      const target = e.target as HTMLElement | null;
      const a = keyAction({
        key: e.key,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        altKey: e.altKey,
        targetTag: target?.tagName,
        targetEditable: target?.isContentEditable,
      });
      if (!a) return;
      e.preventDefault();
      performRef.current(a);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const grayscale = prefs.grayscale;
  const viewed = session.items_viewed;
  const showBreak = breakDue(viewed, prefs.break_after, breakDismissed);

  return (
    <section className="page item-page" aria-labelledby="item-title">
      <div className="page-head">
        <div>
          <p className="crumbs">
            <Link to={`/queues/${item.queue}`}>{QUEUE_TITLES[item.queue]} queue</Link> · {item.tenant}
          </p>
          <h1 id="item-title">
            {item.decision.categories[0] ? `Item: ${topTitle(item)}` : 'Item'}{' '}
            <span className={`verdict verdict-${item.decision.verdict}`}>
              automatic: {item.decision.verdict}
            </span>
          </h1>
        </div>
        <div className="head-meta">
          <AgeCell age={item.age_seconds} sla={item.sla_seconds} />
          <span className="muted">
            viewed this session: <strong data-testid="viewed-count">{viewed}</strong>
          </span>
          <button type="button" className="link" onClick={() => setDialog('help')}>
            Keyboard (?)
          </button>
        </div>
      </div>

      {showBreak && (
        <div className="break" role="status">
          You have looked at {viewed} items this session. Step away from the screen for a few minutes.
          <button
            type="button"
            className="small"
            onClick={() => {
              setBreakDismissed(viewed);
              updateWorkflow((w) => ({ ...w, breakDismissedAt: viewed }));
            }}
          >
            I took a break
          </button>
        </div>
      )}
      {!open && <p className="notice">This item is {item.status.replace(':', ': ')}.</p>}
      {open && item.claim && !mine && (
        <p className="notice">
          Claimed by {item.claim.display_name} until {new Date(item.claim.expires_at).toLocaleTimeString()}.
        </p>
      )}
      {message && (
        <p className="error" role="alert">
          {message}
        </p>
      )}

      <div className="item-grid">
        <div className="item-left">
          <ImageViewer
            src={item.image_url}
            prefs={prefs}
            revealed={revealed}
            onReveal={setRevealed}
            grayscale={grayscale}
          />

          {item.reason && (
            <div className="panel">
              <h2>{appeal ? "The user's appeal" : 'Escalation reason'}</h2>
              <blockquote>{item.reason}</blockquote>
              {item.appealed_review && (
                <p>
                  Original review: <strong>{item.appealed_review.verdict}</strong> by{' '}
                  {item.appealed_review.resolved_by}
                  {item.appealed_review.labels.length > 0 &&
                    ` (labels: ${item.appealed_review.labels.join(', ')})`}
                </p>
              )}
            </div>
          )}

          {item.review && <HumanDecision review={item.review} />}

          {open && (
            <form
              className="panel decide"
              onSubmit={(e) => e.preventDefault()}
              aria-labelledby="decide-title"
            >
              <h2 id="decide-title">Decision</h2>
              {!appeal && (
                <fieldset className="labels">
                  <legend>Categories really present (ground truth)</legend>
                  {item.decision.categories.slice(0, 9).map((c, i) => (
                    <label key={c.id} className="label-check">
                      <input
                        type="checkbox"
                        checked={labels.includes(c.id)}
                        onChange={() => setLabels((l) => toggleLabel(l, c.id, categoryIds))}
                      />
                      <kbd>{i + 1}</kbd> {c.title}
                    </label>
                  ))}
                </fieldset>
              )}
              <label htmlFor="note">Note (optional)</label>
              <textarea
                id="note"
                rows={2}
                maxLength={2000}
                value={note}
                onChange={(e) => setNote(e.target.value)}
              />
              <div className="actions">
                {appeal ? (
                  <>
                    <button
                      type="button"
                      className="allow"
                      disabled={act.isPending}
                      onClick={() => act.mutate({ kind: 'appeal', decision: 'overturn' })}
                    >
                      Overturn (allow) <kbd>A</kbd>
                    </button>
                    <button
                      type="button"
                      className="block"
                      disabled={act.isPending}
                      onClick={() => act.mutate({ kind: 'appeal', decision: 'uphold' })}
                    >
                      Uphold block <kbd>B</kbd>
                    </button>
                  </>
                ) : (
                  <>
                    <button
                      type="button"
                      className="allow"
                      disabled={act.isPending}
                      onClick={() => act.mutate({ kind: 'resolve', verdict: 'allow' })}
                    >
                      Allow <kbd>A</kbd>
                    </button>
                    <button
                      type="button"
                      className="block"
                      disabled={act.isPending}
                      onClick={() => act.mutate({ kind: 'resolve', verdict: 'block' })}
                    >
                      Block <kbd>B</kbd>
                    </button>
                    {item.queue !== 'escalated' && (
                      <button type="button" disabled={act.isPending} onClick={() => setDialog('escalate')}>
                        Escalate <kbd>E</kbd>
                      </button>
                    )}
                  </>
                )}
                <button type="button" disabled={act.isPending} onClick={() => act.mutate({ kind: 'skip' })}>
                  Skip <kbd>S</kbd>
                </button>
              </div>
              {lead && !appeal && usableBanks.length > 0 && (
                <div className="bank-choice">
                  <label htmlFor="bank">Block and add to bank</label>
                  <select id="bank" value={bank} onChange={(e) => setBank(e.target.value)}>
                    <option value="">choose a bank…</option>
                    {usableBanks.map((b) => (
                      <option key={b.id} value={b.id}>
                        {b.title} ({b.kind}, {b.entries} entries)
                      </option>
                    ))}
                  </select>
                  <button
                    type="button"
                    className="block"
                    disabled={!bank || act.isPending}
                    onClick={() => act.mutate({ kind: 'resolve', verdict: 'block', bank })}
                  >
                    Block and add
                  </button>
                </div>
              )}
            </form>
          )}
          <PreferencesForm prefs={prefs} />
          {lead && open && <LeadTools item={item} />}
        </div>
        <div className="item-right">
          <Receipt item={item} />
          <SimilarCases itemId={item.id} />
        </div>
      </div>

      {dialog === 'help' && <HelpDialog onClose={() => setDialog(null)} />}
      {dialog === 'escalate' && (
        <Dialog title="Escalate to a lead" onClose={() => setDialog(null)}>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (reason.trim()) act.mutate({ kind: 'escalate', reason: reason.trim() });
            }}
          >
            <label htmlFor="reason">Why does a lead need to decide?</label>
            <textarea
              id="reason"
              rows={3}
              required
              autoFocus
              maxLength={2000}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            <div className="actions">
              <button type="submit" className="primary" disabled={!reason.trim() || act.isPending}>
                Escalate
              </button>
            </div>
          </form>
        </Dialog>
      )}
    </section>
  );
}

/** What a human decided on a resolved item: it opens read-only (from a similar past case, say). */
function HumanDecision({ review }: { review: NonNullable<ItemView['review']> }) {
  return (
    <section className="panel" aria-labelledby="human-decision-title">
      <h2 id="human-decision-title">Human decision</h2>
      <p>
        <span className={`verdict verdict-${review.verdict}`}>{review.verdict}</span> by{' '}
        {review.resolved_by || 'someone'} · {dateTime(review.resolved_at)}
      </p>
      <p>
        Labels: {review.labels.length > 0 ? review.labels.join(', ') : <span className="muted">none</span>}
      </p>
      {review.note && <blockquote>{review.note}</blockquote>}
    </section>
  );
}

const dialogOpen = () => document.querySelector('dialog[open]') !== null;

function topTitle(item: ItemView): string {
  const top = item.decision.categories.find((c) => c.id === item.top_category) ?? item.decision.categories[0];
  return top?.title ?? item.top_category ?? '';
}

/** A lead's release and reassignment of someone's claim. */
function LeadTools({ item }: { item: ItemView }) {
  const client = useQueryClient();
  const [userId, setUserId] = useState('');
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () => get<{ users: { id: string; display_name: string; email: string }[] }>('/v1/console/users'),
    retry: false,
    staleTime: 60_000,
  });
  const done = () => client.invalidateQueries({ queryKey: ['item', item.id] });
  const release = useMutation({
    mutationFn: () => post(`/v1/console/items/${item.id}/release`),
    onSuccess: done,
  });
  const assign = useMutation({
    mutationFn: () => post(`/v1/console/items/${item.id}/assign`, { user_id: userId }),
    onSuccess: done,
  });
  return (
    <div className="panel">
      <h2>Lead</h2>
      <div className="actions">
        <button type="button" disabled={!item.claim || release.isPending} onClick={() => release.mutate()}>
          Release claim
        </button>
        <label htmlFor="assignee" className="sr-only">
          Reassign to
        </label>
        {users.data ? (
          <select id="assignee" value={userId} onChange={(e) => setUserId(e.target.value)}>
            <option value="">reassign to…</option>
            {users.data.users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.display_name} ({u.email})
              </option>
            ))}
          </select>
        ) : (
          <input
            id="assignee"
            placeholder="user id to reassign to"
            value={userId}
            onChange={(e) => setUserId(e.target.value.trim())}
          />
        )}
        <button type="button" disabled={!userId || assign.isPending} onClick={() => assign.mutate()}>
          Reassign
        </button>
      </div>
      {(release.error ?? assign.error) && <p className="error">{(release.error ?? assign.error)?.message}</p>}
    </div>
  );
}
