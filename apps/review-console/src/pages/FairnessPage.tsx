import { useEffect, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { get, query } from '../lib/api';
import { percent } from '../lib/format';
import { axisMax } from '../lib/geometry';
import type {
  DriftReport,
  FairnessAlert,
  FairnessReport,
  ProbeFigures,
  WireInterval,
} from '../lib/fairness-wire';
import { tenantsAs, useSession } from '../lib/session';
import { IntervalChart } from '../components/IntervalChart';
import { DriftChart } from '../components/DriftChart';

interface Params {
  tenant: string;
  policy: string;
  since: string;
  until: string;
}

/** The auditor's view of the fairness report and the drift of one policy version for one tenant. */
export function FairnessPage() {
  const { session } = useSession();
  const tenants = tenantsAs(session, 'auditor', 'lead', 'admin');
  const [draft, setDraft] = useState<Params>({ tenant: tenants[0] ?? '', policy: '', since: '', until: '' });
  const [params, setParams] = useState<Params | null>(null);
  // The policy the tenant's newest decision was made by, as a starting point.
  const latest = useQuery({
    queryKey: ['latest-policy', draft.tenant],
    queryFn: () =>
      get<{ items: { policy_id: string; policy_version: number }[] }>(
        `/v1/console/decisions${query({ tenant: draft.tenant, limit: 1 })}`,
      ),
    enabled: draft.tenant !== '',
  });
  const suggested =
    latest.data?.items[0] && `${latest.data.items[0].policy_id}@v${latest.data.items[0].policy_version}`;
  useEffect(() => {
    if (suggested && !draft.policy) {
      const next = { ...draft, policy: suggested };
      setDraft(next);
      setParams((p) => p ?? next);
    }
    // Only when a suggestion arrives: the draft the user is editing must not be overwritten later.
  }, [suggested]);
  const qs =
    params &&
    query({ tenant: params.tenant, policy: params.policy, since: params.since, until: params.until });
  const report = useQuery({
    queryKey: ['fairness', qs],
    queryFn: () => get<FairnessReport>(`/v1/console/fairness${qs}`),
    enabled: qs !== null,
    retry: false,
  });
  const drift = useQuery({
    queryKey: ['drift', qs],
    queryFn: () => get<DriftReport>(`/v1/console/drift${qs}`),
    enabled: qs !== null,
    retry: false,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setParams({ ...draft, policy: draft.policy.trim() });
  };
  return (
    <section className="page" aria-labelledby="fairness-title">
      <h1 id="fairness-title">Fairness and drift</h1>
      <form className="filters" onSubmit={submit} aria-label="Report window">
        <label>
          Tenant
          <select
            value={draft.tenant}
            onChange={(e) => setDraft({ ...draft, tenant: e.target.value, policy: '' })}
          >
            {tenants.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Policy version
          <input
            value={draft.policy}
            placeholder="shapes@v1"
            required
            onChange={(e) => setDraft({ ...draft, policy: e.target.value })}
          />
        </label>
        <label>
          Since
          <input
            type="date"
            value={draft.since}
            onChange={(e) => setDraft({ ...draft, since: e.target.value })}
          />
        </label>
        <label>
          Until
          <input
            type="date"
            value={draft.until}
            onChange={(e) => setDraft({ ...draft, until: e.target.value })}
          />
        </label>
        <button type="submit" className="primary">
          Show
        </button>
      </form>
      {!params && !latest.isPending && <p className="muted">Choose a tenant and a policy version (ID@vN).</p>}
      {report.isError && (
        <p className="error" role="alert">
          {report.error.message}
        </p>
      )}
      {report.data && <FairnessBody r={report.data} />}
      {drift.data && <DriftSection d={drift.data} />}
    </section>
  );
}

function FairnessBody({ r }: { r: FairnessReport }) {
  const o = r.options;
  return (
    <>
      <div className="kpis">
        <div className="kpi">
          <span className="kpi-label">Decisions</span>
          <span className="kpi-value">{r.decisions}</span>
          <span className="kpi-sub">
            {r.meta.window ? `${r.meta.window.since.slice(0, 10)} → ${r.meta.window.until.slice(0, 10)}` : ''}
          </span>
        </div>
        <div className="kpi">
          <span className="kpi-label">With a moderator's label</span>
          <span className="kpi-value">{r.labelled}</span>
          <span className="kpi-sub">{r.qaSampled} from the QA sample</span>
        </div>
        <div className={`kpi ${r.alerts.length ? 'kpi-bad' : 'kpi-good'}`}>
          <span className="kpi-label">Alerts</span>
          <span className="kpi-value">{r.alerts.length}</span>
          <span className="kpi-sub">
            {r.comparisons} comparisons, simultaneous {Math.round(o.confidence * 100)}% intervals
          </span>
        </div>
      </div>
      <section className="panel" aria-labelledby="alerts-title">
        <h2 id="alerts-title">Alerts</h2>
        {r.alerts.length === 0 ? (
          <p className="good">
            No disparity whose interval excludes parity. Groups under {o.minGroupSize} decisions never alert.
          </p>
        ) : (
          <ul className="alerts">
            {r.alerts.map((a, i) => (
              <li key={i}>{alertText(a, o.ratioRule)}</li>
            ))}
          </ul>
        )}
      </section>
      {r.probes.map((p) => (
        <ProbeSection key={p.probe} p={p} ratioRule={o.ratioRule} minGroupSize={o.minGroupSize} />
      ))}
    </>
  );
}

const fmt = (v: number | null, d = 2) => (v === null ? '–' : v.toFixed(d));
const ivText = (i: WireInterval) => `${fmt(i.value)} [${fmt(i.low)}, ${fmt(i.high)}]`;

function alertText(a: FairnessAlert, rule: number): string {
  const where = `${a.probe}, ${a.category ?? 'all categories'}`;
  if (a.kind === 'selection_ratio')
    return `${where}: "${a.group}" is flagged more than "${a.favoured}": ratio ${ivText(a.ratio)} below ${rule}`;
  const what = a.kind === 'false_positive_gap' ? 'false positive' : 'false negative';
  return `${where}: ${what} rate gap ${ivText(a.gap)} between "${a.highest}" and "${a.lowest}"`;
}

function ProbeSection({
  p,
  ratioRule,
  minGroupSize,
}: {
  p: ProbeFigures;
  ratioRule: number;
  minGroupSize: number;
}) {
  const [slice, setSlice] = useState(0);
  const s = p.slices[slice] ?? p.slices[0];
  if (!s) return null;
  const amb = p.ambiguity;
  const ambiguityOf = (g: string) => amb.byGroup.find((b) => b.group === g)?.ambiguous.value ?? null;
  const id = `probe-${p.probe}`;
  return (
    <section className="panel" aria-labelledby={id}>
      <div className="panel-head">
        <h2 id={id}>
          {p.title} <small className="muted">probe {p.probe}</small>
        </h2>
        <label>
          Category{' '}
          <select value={slice} onChange={(e) => setSlice(Number(e.target.value))}>
            {p.slices.map((x, i) => (
              <option key={x.category ?? '*'} value={i}>
                {x.title}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="ambiguity" role="note">
        The groups are what CLIP perceives, not who is pictured: the probe's answer was ambiguous (margin
        below {amb.level}) for <strong>{percent(amb.ambiguous.value)}</strong> of {amb.withMargin} decisions.
      </p>
      <div className="two-col">
        <div>
          <h3>Flag rate per group (95% interval)</h3>
          <IntervalChart
            rows={s.groups.map((g) => ({
              label: g.group,
              sub: `n=${g.n} · ambiguous ${percent(ambiguityOf(g.group), 0)}`,
              interval: g.flag,
              muted: g.tooFew,
            }))}
            min={0}
            max={1}
            format={(v) => percent(v, 0)}
          />
        </div>
        <div>
          <h3>Selection-rate ratio to the favoured group{s.favoured ? ` (${s.favoured})` : ''}</h3>
          <IntervalChart
            rows={s.ratios.map((r) => ({
              label: r.group,
              sub: '',
              interval: r.ratio,
              muted: s.groups.find((g) => g.group === r.group)?.tooFew ?? false,
            }))}
            min={0}
            max={axisMax(
              s.ratios.map((r) => (r.ratio.high === null ? null : Math.min(2, r.ratio.high))),
              1.2,
            )}
            lines={[
              { at: ratioRule, label: `${ratioRule} rule`, kind: 'rule' },
              { at: 1, label: 'parity', kind: 'parity' },
            ]}
            format={(v) => v.toFixed(2)}
          />
        </div>
      </div>
      <table className="table compact">
        <caption>
          Rates per group; greyed: fewer than {minGroupSize} decisions (or labels), never alerts
        </caption>
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col">n</th>
            <th scope="col">Flag</th>
            <th scope="col">Review</th>
            <th scope="col">Block</th>
            <th scope="col">False positive</th>
            <th scope="col">False negative</th>
            <th scope="col">Ambiguous probe</th>
          </tr>
        </thead>
        <tbody>
          {s.groups.map((g) => (
            <tr key={g.group} className={g.tooFew ? 'too-few' : ''}>
              <th scope="row">
                {g.group}
                {g.tooFew && <small> (too few)</small>}
              </th>
              <td className="num">{g.n}</td>
              {[g.flag, g.review, g.block, g.falsePositive, g.falseNegative].map((r, i) => (
                <td key={i} className={r.tooFew ? 'too-few num' : 'num'}>
                  {percent(r.value)}{' '}
                  <small className="muted">
                    [{percent(r.low, 0)}, {percent(r.high, 0)}]
                  </small>
                </td>
              ))}
              <td className="num">{percent(ambiguityOf(g.group))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {(s.falsePositiveGap || s.falseNegativeGap) && (
        <p className="muted">
          {s.falsePositiveGap &&
            `Largest false positive gap: ${ivText(s.falsePositiveGap.gap)} (${s.falsePositiveGap.highest} vs ${s.falsePositiveGap.lowest}). `}
          {s.falseNegativeGap &&
            `Largest false negative gap: ${ivText(s.falseNegativeGap.gap)} (${s.falseNegativeGap.highest} vs ${s.falseNegativeGap.lowest}).`}
        </p>
      )}
    </section>
  );
}

function DriftSection({ d }: { d: DriftReport }) {
  return (
    <section className="panel" aria-labelledby="drift-title">
      <h2 id="drift-title">Drift: verdict mix per day</h2>
      <DriftChart days={d.days} />
      <p className="muted">
        {d.baseline
          ? d.baseline.complete
            ? `Baseline: ${d.baseline.decisions} decisions from ${d.baseline.since.slice(0, 10)} to ${d.baseline.until.slice(0, 10)}.`
            : `The baseline (the first days after the version's first decision) completes on ${d.baseline.until.slice(0, 10)}; stability is computed after it.`
          : 'No decision by this version for this tenant yet.'}
      </p>
      {d.stability && (
        <table className="table compact">
          <caption>Population stability index against the baseline (alert at {d.level})</caption>
          <thead>
            <tr>
              <th scope="col">Distribution</th>
              <th scope="col">PSI</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {d.stability.figures.map((f) => (
              <tr key={f.category ?? '*'} className={f.drifted ? 'breach-row' : ''}>
                <td>{f.category ?? 'verdict mix'}</td>
                <td className="num">{fmt(f.psi.value, 3)}</td>
                <td>{f.drifted ? 'drifted' : 'stable'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
