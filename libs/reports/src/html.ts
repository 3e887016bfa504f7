/** Escapes text for HTML element content and attribute values. */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const BASE_CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1f2933}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #d9dee3;padding:.25rem .5rem;text-align:left}
th{background:#f3f5f7}code{background:#f3f5f7;padding:0 .2rem}.warn{color:#9a3412}small{color:#52606d}`;

/** One self-contained HTML document: inline CSS, no scripts, no external assets. */
export function htmlPage(title: string, body: string, css = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${BASE_CSS}${css}</style></head>
<body>${body}</body></html>`;
}
