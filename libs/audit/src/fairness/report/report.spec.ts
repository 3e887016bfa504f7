import { parse } from 'csv-parse/sync';
import { renderChartSvg } from '@clipguard/reports';
import { computeFairness, type FairnessFigures } from '../figures';
import { falsePositiveTraffic, SUBJECT, times } from '../spec-support';
import { errorRatesChart, ratesChart, ratioChart } from './charts';
import { fairnessCsv } from './csv';
import { pct } from './format';
import { renderFairnessHtml } from './html';
import { fairnessJson } from './json';

const HOSTILE = '<img src=x onerror=alert(1)>,"q"';
// 48 of 80 outlined flagged against 12 of 40 filled: the four-fifths alert; 10 hostile-named decisions are too few.
const decisions = [
  ...times(48, { fill: 'outlined', size: 'small', flags: { star: 'block' }, margin: 0.05 }),
  ...times(32, { fill: 'outlined', size: 'small', margin: 0.5 }),
  ...times(12, { fill: 'filled', size: 'small', flags: { star: 'block' }, margin: 0.5 }),
  ...times(28, { fill: 'filled', size: 'small', margin: 0.5 }),
  ...times(10, { fill: HOSTILE, size: 'small' }),
];
// Everything under test is computed in each test, not at collection: Stryker credits only code run inside a
// test (docs/mutation-testing.md).
let figures: FairnessFigures;
beforeEach(() => {
  figures = computeFairness(decisions, SUBJECT);
});
const meta = { tenant: 'acme', generatedAt: new Date('2026-02-01T10:00:00Z') };

describe('CSV', () => {
  let rows: Record<string, string>[];
  beforeEach(() => {
    rows = parse<Record<string, string>>(fairnessCsv(figures), { columns: true });
  });

  it('has one figure per line that a CSV parser reads back', () => {
    const ratio = rows.find(
      (r) =>
        r.probe === 'fill' &&
        r.category === '(all)' &&
        r.metric === 'selection_ratio' &&
        r.group === 'outlined',
    );
    expect(ratio).toMatchObject({ reference: 'filled', value: '0.5', alert: 'true', count: '', n: '' });
    const parity = rows.find(
      (r) =>
        r.probe === 'fill' &&
        r.category === 'red-star' &&
        r.metric === 'selection_ratio' &&
        r.group === 'outlined',
    );
    expect(parity).toMatchObject({ value: '1', alert: 'false' });
    const flag = rows.find(
      (r) =>
        r.probe === 'fill' && r.category === 'star' && r.metric === 'flag_rate' && r.group === 'outlined',
    );
    expect(flag).toMatchObject({ count: '48', n: '80', value: '0.6', too_few: 'false', alert: 'false' });
  });

  it('quotes awkward group names and leaves empty what has no value', () => {
    const hostile = rows.filter((r) => r.group === HOSTILE);
    expect(hostile.length).toBeGreaterThan(0);
    expect(hostile.find((r) => r.metric === 'flag_rate')?.too_few).toBe('true');
    const empty = rows.find(
      (r) => r.probe === 'fill' && r.metric === 'false_positive_rate' && r.group === 'filled',
    );
    expect(empty).toMatchObject({ n: '0', value: '', low: '0', high: '1' });
  });

  it('leaves the reference empty on rates and too_few empty on ratios, and gives each group its ambiguity', () => {
    const flag = rows.find((r) => r.probe === 'fill' && r.category === '(all)' && r.metric === 'flag_rate');
    expect(flag).toMatchObject({ reference: '', too_few: 'false' });
    const ratio = rows.find((r) => r.metric === 'selection_ratio' && r.group === 'filled');
    expect(ratio).toMatchObject({
      reference: 'filled',
      too_few: '',
      count: '',
      n: '',
      value: '1',
      alert: 'false',
    });
    const outlined = rows.find(
      (r) => r.probe === 'fill' && r.metric === 'ambiguous_share' && r.group === 'outlined',
    );
    expect(outlined).toMatchObject({ category: '(all)', count: '48', n: '80' });
    // the size probe has its own rows, and no alert of the fill probe's
    expect(rows.filter((r) => r.probe === 'size' && r.alert === 'true')).toEqual([]);
  });

  it('writes the largest error-rate gap as a row, with the lower group as its reference', () => {
    const gaps = parse<Record<string, string>>(
      fairnessCsv(computeFairness(falsePositiveTraffic({ filled: 20, outlined: 70 }, 0), SUBJECT)),
      { columns: true },
    );
    const gap = gaps.find(
      (r) => r.probe === 'fill' && r.category === '(all)' && r.metric === 'false_positive_gap',
    );
    expect(gap).toMatchObject({ group: 'outlined', reference: 'filled', alert: 'true', too_few: '' });
    expect(Number(gap?.value)).toBeCloseTo(0.25, 12);
    expect(gaps.filter((r) => r.metric === 'false_negative_gap')).toEqual([]);
    // a selection ratio is no gap: no selection-ratio row is alerted here
    expect(gaps.filter((r) => r.metric === 'selection_ratio' && r.alert === 'true')).toEqual([]);
  });

  it('includes the totals and the ambiguity share', () => {
    expect(rows[0]).toMatchObject({
      probe: '(all)',
      category: '(all)',
      group: '(all)',
      metric: 'flag_rate',
      count: '60',
      n: '130',
    });
    const ambiguous = rows.find(
      (r) => r.probe === 'fill' && r.metric === 'ambiguous_share' && r.group === '(all)',
    );
    expect(ambiguous).toMatchObject({ count: '48', n: '120' });
  });
});

describe('JSON', () => {
  type Parsed = Record<string, unknown> & {
    probes: { slices: { groups: { falsePositive: { value: unknown } }[] }[] }[];
  };
  let json: Parsed;
  beforeEach(() => {
    json = JSON.parse(fairnessJson(figures, meta)) as Parsed;
  });

  it('carries a version, the meta data and the figures, with null where a figure has no value', () => {
    expect(json).toMatchObject({
      v: 1,
      meta: { tenant: 'acme', generatedAt: '2026-02-01T10:00:00.000Z' },
      decisions: 130,
    });
    expect(json.probes[0].slices[0].groups[0].falsePositive.value).toBeNull();
    expect(json.alerts).toEqual(JSON.parse(JSON.stringify(figures.alerts)));
  });
});

describe('charts', () => {
  it('draws rates only for groups with enough decisions, with the all-decisions rate as reference', () => {
    const spec = ratesChart(figures.probes[0], figures) as unknown as {
      data: { values: { group: string; panel: string; reference: number }[] };
    };
    expect(new Set(spec.data.values.map((v) => v.group))).toEqual(new Set(['filled', 'outlined']));
    expect(spec.data.values.find((v) => v.panel === 'flag rate')?.reference).toBeCloseTo(60 / 130, 12);
    expect(JSON.stringify(spec)).toContain('"title":"share of decisions"');
    expect(JSON.stringify(errorRatesChart(figures.probes[0], figures))).toContain(
      '"title":"share of labelled decisions"',
    );
  });

  it('draws the ratio against the rule line and parity, the alert in its own colour, cut at the axis end', async () => {
    const spec = ratioChart(figures.probes[0], figures);
    const text = JSON.stringify(spec);
    expect(text).toContain('"datum":0.8');
    expect(text).toContain('"datum":1');
    const values = (
      spec as unknown as {
        data: { values: { group: string; panel: string; status: string; high: number }[] };
      }
    ).data.values;
    expect(values.find((v) => v.panel === 'All categories' && v.group === 'outlined')?.status).toBe('alert');
    // only the alerted group of the alerted slice is red; the favoured group sits at parity
    expect(values.filter((v) => v.status === 'alert').map((v) => `${v.panel}/${v.group}`)).toEqual([
      'All categories/outlined',
      'Stars/outlined',
    ]);
    expect(values.find((v) => v.panel === 'All categories' && v.group === 'filled')).toMatchObject({
      status: 'within',
      high: 1,
    });
    expect(text).toContain('"domain":[0,1.5],"nice":false');
    expect(text).toContain('ratio to the most favoured group (red: the 0.8 rule; grey: parity)');
    expect(Math.max(...values.map((v) => v.high))).toBeLessThanOrEqual(1.5);
    // all categories and stars are flagged at all; red stars and circles never, so they are left out
    expect(new Set(values.map((v) => v.panel))).toEqual(new Set(['All categories', 'Stars']));
    const svg = await renderChartSvg(spec);
    expect(svg.match(/aria-roledescription="point"/g)).toHaveLength(values.length);
  });

  it('draws error rates only where labels exist', async () => {
    const svg = await renderChartSvg(errorRatesChart(figures.probes[0], figures));
    expect(svg.match(/aria-roledescription="point"/g) ?? []).toHaveLength(0);
  });
});

describe('HTML report', () => {
  let html: string;
  beforeEach(async () => {
    html = await renderFairnessHtml(figures, meta);
  });

  it('is one self-contained page: inline SVG charts, no scripts, no external assets', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg/g)).toHaveLength(6);
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
  });

  it('states the alerts, the too-few groups and the ambiguity of the probe', () => {
    expect(html).toContain('<b>outlined</b> is flagged at 2.00× the rate of filled (ratio 0.50');
    expect(html).toContain('too few</span>');
    expect(html).toContain('40.0% <small>[31.7%–48.9%]</small> of 120 probe results were ambiguous');
  });

  it('opens with the policy, tenant, window and counts, and ends with the totals and how to read them', async () => {
    expect(html).toContain('<title>Fairness report: shapes v3</title>');
    expect(html).toContain(
      '<p>Policy <code>shapes</code> v3, tenant <code>acme</code>; all stored decisions. 130 decisions, ' +
        '0 with a moderator label (0 from the QA sample). <small>Generated 2026-02-01 10:00 UTC.',
    );
    expect(html).toMatch(
      /<h2>Alerts<\/h2><ul class="alerts">.*<h2>Every decision<\/h2><table><tr><th>slice<\/th>/s,
    );
    expect(html).toContain('<h2>How to read this</h2>');
    expect(html).toContain('fewer than 30 decisions');
    expect(html).toContain('<section><h2>Fill <code>fill</code></h2><p class="note">');
    expect(html).toContain('<h3>All categories</h3><table>');
    expect(html).toContain('<details><summary>Stars <code>star</code></summary><table>');
    const windowed = await renderFairnessHtml(figures, {
      title: 'Q1 <audit>',
      generatedAt: meta.generatedAt,
      window: { since: new Date('2026-01-01T00:00:00Z'), until: new Date('2026-02-01T00:00:00Z') },
    });
    expect(windowed).toContain('<h1>Q1 &#60;audit&#62;</h1>');
    expect(windowed).toContain(
      '<p>Policy <code>shapes</code> v3; 2026-01-01 00:00 to 2026-02-01 00:00 UTC. 130 decisions',
    );
  });

  it("names each group's share of ambiguous probe results, or says the margin was not recorded", async () => {
    expect(html).toContain(
      '(top value less than 0.1 ahead of the next): filled 0.0%, outlined 60.0%. Groups are',
    );
    const unrecorded = await renderFairnessHtml(
      computeFairness(times(40, { fill: 'filled' }), SUBJECT),
      meta,
    );
    expect(unrecorded).toContain(
      '<p class="note">The probe\'s margin was not recorded for these decisions, so its ambiguity is unknown.</p>',
    );
  });

  it('escapes names that come from the data', () => {
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
  });
});

describe('percent format', () => {
  it('does not round a small positive share to zero', () => {
    expect(pct(0.00048)).toBe('<0.1%');
    expect(pct(0)).toBe('0.0%');
    expect(pct(NaN)).toBe('–');
  });
});
