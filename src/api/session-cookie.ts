import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { AppEnv } from './context.ts'

export const SESSION_COOKIE = 'tonearm_session'

// HttpOnly keeps scripts (and any injected one) away from the secret; SameSite=Lax keeps browsers
// from attaching it to cross-site POSTs; Secure whenever the browser reached us over https,
// including through a trusted TLS-terminating proxy, so it never leaks onto plain http.
// Max-Age rather than Expires: it does not depend on the browser's clock agreeing with ours.
// Browsers cap cookie lifetimes at 400 days, and so does this.
export function setSessionCookie(c: Context<AppEnv>, secret: string, expiresAt: Date): void {
  const seconds = Math.round((expiresAt.getTime() - Date.now()) / 1000)
  setCookie(c, SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.get('client').secure,
    path: '/',
    maxAge: Math.max(0, Math.min(seconds, 400 * 86_400)),
  })
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.get('client').secure,
  })
}

export const sessionCookie = (c: Context<AppEnv>): string | undefined => getCookie(c, SESSION_COOKIE)
