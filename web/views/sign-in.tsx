import { useState } from 'preact/hooks'
import { api } from '../lib/api.ts'
import { useServices } from '../lib/context.ts'
import type { User } from '../lib/types.ts'

export function SignIn() {
  const { user } = useServices()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  async function submit(e: Event) {
    e.preventDefault()
    const form = new FormData(e.target as HTMLFormElement)
    setBusy(true)
    setError(null)
    try {
      const res = await api<{ user: User }>('/api/auth/login', {
        method: 'POST',
        json: { username: form.get('username'), password: form.get('password') },
      })
      user.value = res.user
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <main class="sign-in">
      <h1>Tonearm</h1>
      <form onSubmit={submit} aria-label="Sign in">
        <label>
          User name
          <input name="username" autocomplete="username" required autofocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  )
}
