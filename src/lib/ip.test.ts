import { describe, expect, it } from 'bun:test'
import { addressSet, clientKey, isAddressOrRange, localNetworks, normalizeAddress } from './ip.ts'

describe('ip', () => {
  it('normalizes what sockets report', () => {
    expect(normalizeAddress('::ffff:192.168.1.2')).toBe('192.168.1.2')
    expect(normalizeAddress('fe80::1%eth0')).toBe('fe80::1')
    expect(normalizeAddress('[::1]')).toBe('::1')
  })

  it('matches addresses against CIDR ranges in both families', () => {
    const set = addressSet(['10.0.0.0/8', '2001:db8::/32', '192.168.1.1'])
    expect(set.has('10.200.1.1')).toBe(true)
    expect(set.has('::ffff:10.1.1.1')).toBe(true)
    expect(set.has('11.0.0.1')).toBe(false)
    expect(set.has('2001:db8:1::5')).toBe(true)
    expect(set.has('192.168.1.1')).toBe(true)
    expect(set.has('192.168.1.2')).toBe(false)
    expect(set.has(undefined)).toBe(false)
    expect(set.has('not an address')).toBe(false)
  })

  it('validates configured ranges', () => {
    for (const ok of ['10.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']) expect(isAddressOrRange(ok)).toBe(true)
    for (const bad of ['10.0.0.0/33', 'fd00::/129', 'localhost', '10.0.0.0/8/1', '10.0.0.0/x', ''])
      expect(isAddressOrRange(bad)).toBe(false)
  })

  it('knows the local networks a household uses', () => {
    for (const local of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.0.10', '::1', 'fd12::1', 'fe80::2'])
      expect(localNetworks.has(local)).toBe(true)
    for (const remote of ['8.8.8.8', '172.32.0.1', '2001:db8::1'])
      expect(localNetworks.has(remote)).toBe(false)
  })

  it('groups an IPv6 /64 as one client', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe(clientKey('2001:db8:1:2:bbbb::9'))
    expect(clientKey('2001:db8:1:2::1')).not.toBe(clientKey('2001:db8:1:3::1'))
    expect(clientKey('10.0.0.1')).toBe('10.0.0.1')
  })
})
