// Administration: the library scan and the files it could not read, users, and API tokens.
import { useState } from 'preact/hooks'
import { api } from '../lib/api.ts'
import { useServices } from '../lib/context.ts'
import type { User } from '../lib/types.ts'
import { useApi } from '../lib/use-api.ts'

interface ScanStatus {
  state: string
  progress: { done: number; total: number } | null
  lastScan: {
    status: string
    finishedAt: number | null
    total: number
    added: number
    problems: number
  } | null
}
interface Problem {
  id: number
  path: string
  reason: string
  message: string
}
interface Token {
  id: number
  name: string
  scopes: string[]
  createdAt: string
  lastUsedAt: string | null
}

function Scan() {
  const status = useApi<ScanStatus>('/api/scan')
  const problems = useApi<{ items: Problem[] }>('/api/scan/problems?limit=100')
  const s = status.data
  return (
    <section aria-labelledby="scan-h">
      <h2 id="scan-h">Library scan</h2>
      {s && (
        <p data-testid="scan-state">
          {s.state}
          {s.progress && (
            <>
              {' '}
              <progress max={s.progress.total} value={s.progress.done} aria-label="Scan progress" />
            </>
          )}
          {s.lastScan &&
            ` · last scan ${s.lastScan.status}, ${s.lastScan.total} files, ${s.lastScan.added} added, ${s.lastScan.problems} problems`}
        </p>
      )}
      <button
        type="button"
        onClick={() =>
          void api('/api/scan', { method: 'POST', json: {} }).then(() => setTimeout(status.reload, 300))
        }
      >
        Scan now
      </button>{' '}
      <button type="button" onClick={status.reload}>
        Refresh
      </button>
      <h3>Files that could not be added</h3>
      {problems.data?.items.length === 0 && <p class="muted">None.</p>}
      <ul class="list">
        {problems.data?.items.map((p) => (
          <li key={p.id}>
            <code>{p.path}</code>{' '}
            <span class="muted">
              · {p.reason}: {p.message}
            </span>
          </li>
        ))}
      </ul>
    </section>
  )
}

function Users() {
  const users = useApi<{ items: User[] }>('/api/users')
  const [error, setError] = useState<string | null>(null)
  async function add(e: Event) {
    e.preventDefault()
    const form = e.target as HTMLFormElement
    const f = new FormData(form)
    try {
      await api('/api/users', {
        method: 'POST',
        json: {
          username: f.get('username'),
          password: f.get('password'),
          role: f.get('admin') ? 'admin' : 'user',
        },
      })
      form.reset()
      setError(null)
      users.reload()
    } catch (err) {
      setError((err as Error).message)
    }
  }
  return (
    <section aria-labelledby="users-h">
      <h2 id="users-h">Users</h2>
      <ul class="list">
        {users.data?.items.map((u) => (
          <li key={u.id}>
            {u.username} <span class="muted">· {u.role}</span>
            {u.maxBitrate > 0 && <span class="muted"> · max {u.maxBitrate} kbps</span>}
          </li>
        ))}
      </ul>
      <form class="inline" onSubmit={add} aria-label="Add a user">
        <input name="username" placeholder="user name" aria-label="New user name" required />
        <input
          name="password"
          type="password"
          placeholder="password"
          aria-label="New user password"
          required
          minLength={8}
        />
        <label class="check">
          <input type="checkbox" name="admin" /> admin
        </label>
        <button type="submit">Add user</button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}

function Tokens() {
  const tokens = useApi<{ items: Token[] }>('/api/tokens')
  const [secret, setSecret] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  async function create(e: Event) {
    e.preventDefault()
    const form = e.target as HTMLFormElement
    const f = new FormData(form)
    try {
      const res = await api<{ secret: string }>('/api/tokens', {
        method: 'POST',
        json: { name: f.get('name'), scopes: [f.get('scope')] },
      })
      setSecret(res.secret)
      setError(null)
      form.reset()
      tokens.reload()
    } catch (err) {
      setError((err as Error).message)
    }
  }
  return (
    <section aria-labelledby="tokens-h">
      <h2 id="tokens-h">API tokens</h2>
      <ul class="list">
        {tokens.data?.items.map((t) => (
          <li key={t.id}>
            {t.name}{' '}
            <span class="muted">
              · {t.scopes.join(', ')} · last used {t.lastUsedAt ?? 'never'}
            </span>{' '}
            <button
              type="button"
              aria-label={`Revoke ${t.name}`}
              onClick={() => void api(`/api/tokens/${t.id}`, { method: 'DELETE' }).then(tokens.reload)}
            >
              Revoke
            </button>
          </li>
        ))}
      </ul>
      <form class="inline" onSubmit={create} aria-label="Create a token">
        <input name="name" placeholder="what it is for" aria-label="Token name" required />
        <select name="scope" aria-label="Token scope">
          <option value="read">read</option>
          <option value="write">write</option>
          <option value="admin">admin</option>
        </select>
        <button type="submit">Create token</button>
      </form>
      {secret && (
        <p role="status">
          Copy it now, it is shown only once: <code data-testid="token-secret">{secret}</code>
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}

export function Admin() {
  const { user } = useServices()
  if (user.value?.role !== 'admin')
    return (
      <div class="view">
        <h1>Administration</h1>
        <Tokens />
      </div>
    )
  return (
    <div class="view admin">
      <h1>Administration</h1>
      <Scan />
      <Users />
      <Tokens />
    </div>
  )
}
