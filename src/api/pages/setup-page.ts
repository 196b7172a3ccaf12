import { Hono } from 'hono'
import type { Accounts } from '../../accounts/index.ts'
import { PASSWORD_MIN } from '../../accounts/index.ts'
import type { AppEnv } from '../context.ts'
import { escapeHtml, page } from '../docs/html.ts'
import { setupRefusal } from '../rest/setup.ts'

// The first-run page: a form that posts to /api/setup. It is embedded here (no files, no CDN) so the
// single executable can show it on an offline LAN. The script carries the request's CSP nonce.
const SCRIPT = `
const form = document.getElementById('setup'), out = document.getElementById('out')
form.addEventListener('submit', async (e) => {
  e.preventDefault()
  const data = Object.fromEntries(new FormData(form))
  if (data.password !== data.confirm) { out.className = 'error'; out.textContent = 'The passwords differ.'; return }
  out.className = ''; out.textContent = 'Creating…'
  const res = await fetch('/api/setup', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: data.username, password: data.password }) })
  const body = await res.json().catch(() => ({}))
  if (res.ok) { form.hidden = true; out.className = 'ok'
    out.innerHTML = ''; out.append('Done: you are signed in as ' + body.user.username + '. ')
    const a = document.createElement('a'); a.href = '/'; a.textContent = 'Open Tonearm'; out.append(a) }
  else { out.className = 'error'; out.textContent = body.detail || ('Failed: HTTP ' + res.status) }
})`

export function setupPage(accounts: Accounts, opts: { anyAddress: boolean }) {
  return new Hono<AppEnv>().get('/setup', (c) => {
    const nonce = c.get('secureHeadersNonce') ?? ''
    const title = 'Tonearm — first run'
    if (!accounts.setup.needed()) {
      const body = '<h1>Tonearm is set up</h1><p>An admin exists already. <a href="/">Sign in</a>.</p>'
      return c.html(page({ title, nonce, body }), 200)
    }
    const refusal = setupRefusal(c.get('client'), opts.anyAddress)
    if (refusal) {
      const body = `<h1>Set up Tonearm</h1><p class="error">${escapeHtml(refusal)}.</p>`
      return c.html(page({ title, nonce, body }), 403)
    }
    const body = `<h1>Set up Tonearm</h1>
<p>Create the first admin account. You can add the rest of the household afterwards.</p>
<form id="setup">
<label for="username">Admin name</label><input id="username" name="username" value="admin" required maxlength="64" autocomplete="username">
<label for="password">Password (at least ${PASSWORD_MIN} characters)</label><input id="password" name="password" type="password" required minlength="${PASSWORD_MIN}" autocomplete="new-password">
<label for="confirm">Password again</label><input id="confirm" name="confirm" type="password" required minlength="${PASSWORD_MIN}" autocomplete="new-password">
<button type="submit">Create admin</button></form><p id="out" role="status"></p>`
    return c.html(page({ title, nonce, body, script: SCRIPT }), 200)
  })
}
