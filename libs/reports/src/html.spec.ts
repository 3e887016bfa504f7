import { escapeHtml, htmlPage, htmlTable } from './html';

describe('htmlTable', () => {
  it('escapes the header, keeps HTML cells and classes rows', () => {
    const html = htmlTable(
      ['a<b', 'c'],
      [
        ['<b>1</b>', '2'],
        ['3', '4'],
      ],
      { rowClass: (i) => (i === 1 ? 'hurts' : undefined) },
    );
    expect(html).toBe(
      '<table><tr><th>a&#60;b</th><th>c</th></tr><tr><td><b>1</b></td><td>2</td></tr><tr class="hurts"><td>3</td><td>4</td></tr></table>',
    );
  });

  it('says "none" across the table when there are no rows', () => {
    expect(htmlTable(['image', 'score'], [])).toBe(
      '<table><tr><th>image</th><th>score</th></tr><tr><td class="empty" colspan="2">none</td></tr></table>',
    );
    expect(htmlTable(['x'], [], { empty: 'no mistakes' })).toContain('>no mistakes</td>');
  });
});

describe('htmlPage', () => {
  it('is one document with inline CSS and an escaped title', () => {
    const page = htmlPage('a & b', '<p>x</p>', 'p{color:red}');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<title>a &#38; b</title>');
    expect(page).toContain('p{color:red}</style>');
    expect(escapeHtml(`"'`)).toBe('&#34;&#39;');
  });
});
