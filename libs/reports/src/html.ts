/** Escapes text for HTML element content and attribute values. */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const BASE_CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1f2933}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #d9dee3;padding:.25rem .5rem;text-align:left}
th{background:#f3f5f7}code{background:#f3f5f7;padding:0 .2rem}.warn{color:#9a3412}small{color:#52606d}
td.empty{color:#52606d;font-style:italic}`;

/** One self-contained HTML document: inline CSS, no scripts, no external assets. */
export function htmlPage(title: string, body: string, css = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${BASE_CSS}${css}</style></head>
<body>${body}</body></html>`;
}

export interface TableOptions {
  /** Shown in one cell across the table when there are no rows, so an empty table never looks unfinished. */
  empty?: string;
  /** A class per row (e.g. to highlight some), by row index. */
  rowClass?: (index: number) => string | undefined;
  className?: string;
}

/**
 * A table from a header (plain text, escaped here) and rows of cells that are already HTML (escape text
 * cells with escapeHtml). With no rows it says so ("none" unless `empty` says otherwise).
 */
export function htmlTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const header = `<tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows.length
    ? rows
        .map((r, i) => {
          const cls = options.rowClass?.(i);
          return `<tr${cls ? ` class="${escapeHtml(cls)}"` : ''}>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`;
        })
        .join('')
    : `<tr><td class="empty" colspan="${head.length}">${escapeHtml(options.empty ?? 'none')}</td></tr>`;
  const cls = options.className ? ` class="${escapeHtml(options.className)}"` : '';
  return `<table${cls}>${header}${body}</table>`;
}
