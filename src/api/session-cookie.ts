import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { AppEnv } from './context.ts'

export const SESSION_COOKIE = 'tonearm_session'

// HttpOnly keeps scripts (and any injected one) away from the secret; SameSite=Lax keeps browsers
// from attaching it to cross-site POSTs; Secure whenever the browser reached us over https,
// including through a trusted TLS-terminating proxy, so it never leaks onto plain http.
export function setSessionCookie(c: Context<AppEnv>, secret: string, expiresAt: Date): void {
  setCookie(c, SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.get('client').secure,
    path: '/',
    expires: expiresAt,
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
