import { computeFairness, type FairnessFigures } from '../figures';
import { falsePositiveTraffic, SUBJECT, times } from '../spec-support';
import { dec, pct } from './format';
import { alertList, sliceTable, totalsTable } from './tables';

// Rates below are worked by hand from the counts; interval bounds only by their shape (the Wilson and Katz
// intervals have their own reference tests).
const P = String.raw`\d+\.\d%`;
const D = String.raw`\d+\.\d\d`;

/** 48 of 80 outlined flagged against 12 of 40 filled: ratio 0.5, alerted; 10 hostile-named decisions: too few. */
function fourFifths(): FairnessFigures {
  return computeFairness(
    [
      ...times(48, { fill: 'outlined', flags: { star: 'block' } }),
      ...times(32, { fill: 'outlined' }),
      ...times(12, { fill: 'filled', flags: { star: 'block' } }),
      ...times(28, { fill: 'filled' }),
      ...times(10, { fill: '<img>' }),
    ],
    SUBJECT,
  );
}

/** Of the flagged items moderators saw, 20 of 200 filled ones were clean against 70 of 200 outlined ones. */
const falsePositiveGap = () => computeFairness(falsePositiveTraffic({ filled: 20, outlined: 70 }), SUBJECT);

describe('the HTML report tables', () => {
  it('gives each group a row: n, each rate with its interval, and its ratio to the favoured group', () => {
    const f = fourFifths();
    const html = sliceTable(f, f.probes[0], f.probes[0].slices[0]);
    expect(html).toMatch(
      new RegExp(
        `<tr><th>filled <small>\\(favoured\\)</small></th><td>40</td><td>30\\.0% <small>\\[${P}–${P}\\]</small></td>` +
          `<td>0\\.0% <small>\\[${P}–${P}\\]</small></td><td>30\\.0% <small>\\[${P}–${P}\\]</small></td>` +
          `<td class="none">–</td><td class="none">–</td><td>1\\.00 <small>\\[1\\.00–1\\.00\\]</small></td></tr>`,
      ),
    );
    // outlined is flagged at twice filled's rate: its ratio cell carries the alert
    expect(html).toMatch(
      new RegExp(
        `<tr><th>outlined</th><td>80</td><td>60\\.0% .*<td class="alert">0\\.50 <small>\\[${D}–${D}\\]</small></td></tr>`,
      ),
    );
    // too few decisions: badged, its rates greyed with the reason, no ratio
    expect(html).toMatch(
      new RegExp(
        `<tr><th>&#60;img&#62; <span class="badge">too few</span></th><td>10</td>` +
          `<td class="few" title="too few to alert">0\\.0% <small>\\[${P}–${P}\\]</small></td>.*<td class="none">–</td></tr>`,
      ),
    );
    expect(html).toContain(
      '<ul class="gaps"><li>largest false positive gap: fewer than two groups with enough labels.</li>' +
        '<li>largest false negative gap: fewer than two groups with enough labels.</li></ul>',
    );
    // the star slice alerts on its own; a slice without a flag has no ratios and no alert
    const stars = sliceTable(f, f.probes[0], f.probes[0].slices[1]);
    expect(stars).toContain('<td class="alert">0.50');
    const circles = sliceTable(f, f.probes[0], f.probes[0].slices[3]);
    expect(circles).not.toContain('class="alert"');
    // circles flagged alike in both groups: ratios shown, and the star slice's alert is not theirs
    const alike = computeFairness(
      [
        ...times(48, { fill: 'outlined', flags: { star: 'block' } }),
        ...times(32, { fill: 'outlined', flags: { circle: 'review' } }),
        ...times(12, { fill: 'filled', flags: { star: 'block' } }),
        ...times(16, { fill: 'filled', flags: { circle: 'review' } }),
        ...times(12, { fill: 'filled' }),
      ],
      SUBJECT,
    );
    const alikeCircles = sliceTable(alike, alike.probes[0], alike.probes[0].slices[3]);
    expect(alikeCircles).toMatch(
      new RegExp(`<tr><th>outlined</th>.*<td>${D} <small>\\[${D}–${D}\\]</small></td></tr>`),
    );
    expect(alikeCircles).not.toContain('class="alert"');
  });

  it('shows error rates with the labels they rest on, and the largest gap with its interval', () => {
    const f = falsePositiveGap();
    const html = sliceTable(f, f.probes[0], f.probes[0].slices[0]);
    expect(html).toMatch(new RegExp(`<td>10\\.0% <small>\\[${P}–${P}\\] n=200</small></td>`));
    expect(html).toMatch(new RegExp(`<td>35\\.0% <small>\\[${P}–${P}\\] n=200</small></td>`));
    expect(html).toMatch(
      new RegExp(
        `<li class="alert">largest false positive gap: outlined − filled = 25\\.0% <small>\\[${P} to ${P}\\]</small></li>` +
          '<li>largest false negative gap: fewer than two groups with enough labels.</li>',
      ),
    );
    // another probe's slices do not take this probe's alerts
    expect(sliceTable(f, f.probes[1], f.probes[1].slices[0])).not.toContain('class="alert"');
  });

  it('totals every decision per slice', () => {
    const html = totalsTable(fourFifths());
    expect(html).toMatch(
      /^<table><tr><th>slice<\/th><th>n<\/th><th>flag rate<\/th><th>review rate<\/th><th>block rate<\/th><th>false positive rate<\/th><th>false negative rate<\/th><\/tr>/,
    );
    // 60 of 130 flagged
    expect(html).toMatch(
      new RegExp(`<tr><th>All categories</th><td>130</td><td>46\\.2% <small>\\[${P}–${P}\\]</small></td>`),
    );
    expect(html).toContain('<tr><th>Circles</th><td>130</td><td>0.0% ');
    expect(html.match(/<tr><th>/g)).toHaveLength(1 + 4);
  });

  it('lists every alert in words, or says there is none', () => {
    const ratio = alertList(fourFifths());
    expect(ratio).toMatch(
      new RegExp(
        `^<ul class="alerts"><li><b>fill / all categories</b>: <b>outlined</b> is flagged at 2\\.00× the rate of filled ` +
          `\\(ratio 0\\.50 <small>\\[${D}–${D}\\]</small>, below 0\\.8\\)</li><li><b>fill / star</b>: `,
      ),
    );
    expect(alertList(falsePositiveGap())).toMatch(
      new RegExp(
        `<li><b>fill / all categories</b>: false positive rate of <b>outlined</b> exceeds filled's by 25\\.0% ` +
          `<small>\\[${P} to ${P}\\]</small></li>`,
      ),
    );
    expect(alertList(computeFairness(times(40, { fill: 'filled' }), SUBJECT))).toBe(
      '<p class="ok">No alerts: no difference between groups is both beyond the rules below and outside what noise explains.</p>',
    );
  });
});

describe('number formats', () => {
  it('shows a share at the smallest printable step as itself, and only smaller ones as "<"', () => {
    expect(pct(0.001)).toBe('0.1%');
    expect(pct(0.0009)).toBe('<0.1%');
    expect(pct(0.5, 0)).toBe('50%');
    expect(dec(Infinity)).toBe('∞');
    expect(dec(0.5)).toBe('0.50');
  });
});
