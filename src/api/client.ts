import type { MiddlewareHandler } from 'hono'
import { type AddressSet, isAddress, normalizeAddress } from '../lib/ip.ts'
import type { AppEnv } from './context.ts'

// Works out the client's address and scheme. Forwarding headers are believed only when the socket
// peer is a configured trusted proxy; anyone else could write whatever they like into them.
export function clientInfo(trusted: AddressSet): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const raw = c.env?.remoteAddress
    const peer = raw ? normalizeAddress(raw) : undefined
    const viaTrustedProxy = trusted.has(peer)
    const forwardedFor = c.req.header('x-forwarded-for')
    let address = peer
    let secure = new URL(c.req.url).protocol === 'https:'
    let host = c.req.header('host')
    if (viaTrustedProxy) {
      // Walk from the nearest hop outwards; the first address that is not one of our proxies is the
      // client. Anything left of it was written by the client and proves nothing.
      const hops = (forwardedFor ?? '')
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean)
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = hops[i] as string
        if (!isAddress(hop)) break
        address = normalizeAddress(hop)
        if (!trusted.has(hop)) break
      }
      const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase()
      if (proto) secure = proto === 'https'
      host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim() || host
    }
    const untrustedForwarding =
      !viaTrustedProxy && (forwardedFor !== undefined || c.req.header('forwarded') !== undefined)
    c.set('client', { address, peer, viaTrustedProxy, untrustedForwarding, secure, host })
    await next()
  }
}
