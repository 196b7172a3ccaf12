import { BlockList, isIP } from 'node:net'

// Address helpers shared by configuration (validating trusted proxies) and the API edge (client
// address, setup from the local network). node:net's BlockList does the CIDR matching in both
// Bun and Node, so there is no hand-rolled bit arithmetic to get wrong.

/** Strips an IPv6 zone and unwraps IPv4-mapped IPv6 (`::ffff:10.0.0.1`), as dual-stack sockets report. */
export function normalizeAddress(address: string): string {
  let a = address.trim()
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1)
  const zone = a.indexOf('%')
  if (zone >= 0) a = a.slice(0, zone)
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a)
  return mapped ? (mapped[1] as string) : a.toLowerCase()
}

export function isAddress(value: string): boolean {
  return isIP(normalizeAddress(value)) !== 0
}

function parseRange(value: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [raw, bits, ...rest] = value.split('/')
  if (raw === undefined || rest.length > 0) return null
  const address = normalizeAddress(raw)
  const version = isIP(address)
  if (version === 0) return null
  const max = version === 4 ? 32 : 128
  if (bits !== undefined && !/^\d{1,3}$/.test(bits)) return null
  const prefix = bits === undefined ? max : Number(bits)
  if (prefix > max) return null
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' }
}

export function isAddressOrRange(value: string): boolean {
  return parseRange(value) !== null
}

export interface AddressSet {
  has(address: string | undefined): boolean
}

export function addressSet(ranges: readonly string[]): AddressSet {
  const list = new BlockList()
  for (const r of ranges) {
    const range = parseRange(r)
    if (!range) throw new Error(`not an address or CIDR range: ${r}`)
    list.addSubnet(range.address, range.prefix, range.family)
  }
  return {
    has(address) {
      if (!address) return false
      const a = normalizeAddress(address)
      const version = isIP(a)
      return version !== 0 && list.check(a, version === 4 ? 'ipv4' : 'ipv6')
    },
  }
}

/** Loopback, RFC 1918, link-local and IPv6 unique-local: where a household's own devices live. */
export const localNetworks = addressSet([
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '169.254.0.0/16',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
])

/**
 * A key that groups the addresses one client controls: the address itself for IPv4, the /64 for
 * IPv6 (one home or host usually gets a whole /64, so per-address throttling must count it as one).
 */
export function clientKey(address: string): string {
  const a = normalizeAddress(address)
  if (isIP(a) !== 6) return a
  const groups = expandIpv6(a)
  return `${groups.slice(0, 4).join(':')}::/64`
}

function expandIpv6(a: string): string[] {
  const [head = '', tail] = a.split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  // An embedded IPv4 tail (::ffff:1.2.3.4 style) counts as two groups; only the first four matter here.
  const missing = 8 - left.length - right.length
  return [...left, ...Array.from({ length: Math.max(0, missing) }, () => '0'), ...right].map((g) =>
    g.includes('.') ? g : (Number.parseInt(g, 16) || 0).toString(16),
  )
}
