const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Everything interpolated into server-rendered HTML goes through this. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (ch) => ESCAPES[ch] as string)

/** The shared page frame: one inline stylesheet carrying the request's CSP nonce, no scripts unless given. */
export function page(opts: { title: string; nonce: string; body: string; script?: string }): string {
  const script = opts.script ? `<script nonce="${opts.nonce}">${opts.script}</script>` : ''
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(opts.title)}</title>
<style nonce="${opts.nonce}">${STYLE}</style></head>
<body>${opts.body}${script}</body></html>`
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1d1d1f;--muted:#6b6b70;--line:#d8d8dc;--accent:#b4461b;--bg:#fff;--code:#f4f4f6}
@media (prefers-color-scheme:dark){:root{--fg:#ececef;--muted:#a0a0a8;--line:#3a3a40;--accent:#ff9a6a;--bg:#151517;--code:#202024}}
body{font:15px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg);max-width:60rem;margin:0 auto;padding:1.5rem}
h1{margin:.2rem 0}h2{margin-top:2.2rem;border-bottom:1px solid var(--line);padding-bottom:.3rem}
a{color:var(--accent)}code,pre{font:13px/1.45 ui-monospace,monospace;background:var(--code);border-radius:4px}
pre{padding:.6rem .8rem;overflow-x:auto;white-space:pre}code{padding:.05rem .3rem}
.op{border:1px solid var(--line);border-radius:6px;margin:1rem 0;padding:.2rem 1rem .8rem}
.op h3{font-size:1rem;margin:.7rem 0 .2rem;font-family:ui-monospace,monospace}
.m{display:inline-block;min-width:4.2rem;font-weight:700}.m-get{color:#2a7d3a}.m-post{color:#1f5fbf}.m-patch{color:#8a5a00}.m-delete{color:#b3261e}
.muted,.note{color:var(--muted)}.badge{font-size:.75rem;border:1px solid var(--line);border-radius:99px;padding:0 .5rem;margin-left:.4rem}
table{border-collapse:collapse;width:100%}td,th{text-align:left;border-bottom:1px solid var(--line);padding:.25rem .4rem;vertical-align:top}
nav a{margin-right:.8rem}label{display:block;margin:.8rem 0 .2rem}input{font:inherit;padding:.4rem;width:100%;max-width:24rem;box-sizing:border-box}
button{font:inherit;margin-top:1rem;padding:.45rem 1.2rem;cursor:pointer}.error{color:#b3261e}.ok{color:#2a7d3a}
`
