import type { Accounts, Principal } from '../../accounts/index.ts'
import { DomainError } from '../../lib/errors.ts'
import { CODES, missing, SubsonicError } from './errors.ts'
import type { Params } from './params.ts'

// Who is calling, from Subsonic's own credentials: `u`+`p` (plain or `enc:` hex), `u`+`t`+`s`
// (md5 of the app password and a salt), or OpenSubsonic's `apiKey`. All are checked by the
// accounts domain against the user's Subsonic app password or API keys — never the web password.

/** Where a user learns to create an app password or API key (sent as OpenSubsonic's helpUrl). */
export const HELP_URL = 'https://github.com/tonearm/tonearm#subsonic-and-opensubsonic'

const PROTOCOL_MAJOR = 1

/** The client's protocol version `v`: another major version cannot be served (20 or 30). */
export function checkVersion(v: string | undefined): void {
  if (v === undefined || v === '') return
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(v)
  if (!m)
    throw new SubsonicError(CODES.generic, `parameter v: "${v.slice(0, 20)}" is not a version such as 1.16.1`)
  const major = Number(m[1])
  if (major < PROTOCOL_MAJOR)
    throw new SubsonicError(
      CODES.clientMustUpgrade,
      `client protocol ${v} is too old: this server speaks 1.16.1`,
    )
  if (major > PROTOCOL_MAJOR)
    throw new SubsonicError(
      CODES.serverMustUpgrade,
      `client protocol ${v} is newer than this server's 1.16.1`,
    )
}

export function authenticate(
  accounts: Accounts,
  params: Params,
  request: { address?: string; hasOtherCredentials: boolean },
): Principal {
  const apiKey = params.get('apiKey')
  const u = params.get('u')
  const p = params.get('p')
  const t = params.get('t')
  const s = params.get('s')
  if (apiKey !== undefined) {
    if (u !== undefined || p !== undefined || t !== undefined)
      throw new SubsonicError(
        CODES.conflictingMechanisms,
        'multiple conflicting authentication mechanisms: send apiKey alone, without u, p or t',
      )
    const principal = accounts.verifyApiKey(apiKey)
    if (!principal) throw new SubsonicError(CODES.invalidApiKey, 'invalid API key', HELP_URL)
    return principal
  }
  if (u === undefined || u === '') {
    if (request.hasOtherCredentials)
      throw new SubsonicError(
        CODES.mechanismUnsupported,
        'this authentication mechanism is not supported on /rest: use u with p or t and s (the Subsonic app password), or apiKey',
        HELP_URL,
      )
    throw missing('u')
  }
  if (p !== undefined && t !== undefined)
    throw new SubsonicError(
      CODES.conflictingMechanisms,
      'multiple conflicting authentication mechanisms: send p or t and s, not both',
    )
  try {
    if (p !== undefined) {
      const principal = accounts.verifySubsonicPassword(u, p, request.address)
      if (!principal)
        throw new SubsonicError(
          CODES.wrongCredentials,
          'wrong username or password (Subsonic apps use the app password created in Tonearm, not the web password)',
          HELP_URL,
        )
      return principal
    }
    if (t !== undefined) {
      if (s === undefined || s === '') throw missing('s')
      const principal = accounts.verifySubsonicToken(u, t, s, request.address)
      // Asked only after a failure the domain has counted, so probing names stays throttled.
      if (!principal && !accounts.subsonic.tokenAuthAvailable(u))
        throw new SubsonicError(
          CODES.tokenAuthUnavailable,
          'token authentication is not available for this account: it has no Subsonic app password yet; create one in Tonearm or use an API key',
          HELP_URL,
        )
      if (!principal) throw new SubsonicError(CODES.wrongCredentials, 'wrong username or password', HELP_URL)
      return principal
    }
  } catch (err) {
    // Throttled: still an authentication failure to the client, with the wait in the message.
    if (err instanceof DomainError && err.kind === 'busy') {
      const retry = err.details?.retryAfterSeconds
      throw new SubsonicError(
        CODES.wrongCredentials,
        `too many failed sign-ins: try again in ${typeof retry === 'number' ? retry : 'a few'} s`,
      )
    }
    throw err
  }
  throw missing('p or t and s')
}
