// Payloads and bookkeeping for tests/security.test.ts. Everything here is data; the suite decides
// where to send it (every route of the OpenAPI document, so new routes are attacked too).

/** Inserted raw into a path segment: encoded, double-encoded, backslashes, NUL bytes, overlong UTF-8. */
export const TRAVERSAL = [
  '..',
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '%252e%252e%252f%252e%252e%252fetc%252fpasswd',
  '..%252f..%252f..%252fetc%252fpasswd',
  '..%5c..%5c..%5cwindows%5cwin.ini',
  '..\\..\\..\\etc\\passwd',
  '%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afetc%c0%afpasswd',
  '....//....//....//etc/passwd',
  '%2fetc%2fpasswd',
  '1%00',
  '1%00.json',
  '%00',
  '..%00%2f',
  '1%2f..%2f..%2f..%2fetc%2fpasswd',
  'file:%2f%2f%2fetc%2fpasswd',
]

/** Ids that are not ids: each must be a 400, never a lookup of something else. */
export const BAD_IDS = [
  '0',
  '-1',
  '1.5',
  '1e3',
  '0x10',
  '%201',
  '1%20',
  '99999999999999999999',
  'NaN',
  'null',
  '[]',
  '%7B%7D',
]

/** Classic injection strings, sent URL-encoded as query values and path ids, and as JSON strings. */
export const SQL = [
  "' OR '1'='1",
  "' OR 1=1--",
  '1 OR 1=1',
  '1; DROP TABLE users; --',
  "1' UNION SELECT password_hash, 1, 1 FROM users --",
  '" OR ""="',
  '1) OR (1=1',
  "admin'--",
  '1/**/OR/**/1=1',
  "' OR sqlite_version() > '0",
  "x'||(SELECT hex(password_hash) FROM users LIMIT 1)||'",
  '1 AND 1=(SELECT COUNT(*) FROM sqlite_master)',
  "'; ATTACH DATABASE '/tmp/pwn.db' AS pwn; --",
  '%27%20OR%201%3D1--',
]

/** Credentials that are not: forged, truncated, flipped, re-prefixed, oversized, foreign formats. */
export function forgedSecrets(valid: string): string[] {
  const body = valid.slice(6)
  const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1)
  const random = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')
  return [
    `tnr_a_${random()}`,
    `tnr_s_${random()}`,
    `tnr_k_${random()}`,
    valid.slice(0, -1),
    valid.slice(0, valid.length / 2),
    `${valid}A`,
    flip(valid, valid.length - 1),
    flip(valid, 10),
    // The real secret under another kind's prefix: the prefix is part of what is hashed.
    ...['tnr_a_', 'tnr_s_', 'tnr_k_'].filter((p) => !valid.startsWith(p)).map((p) => `${p}${body}`),
    valid.toUpperCase(),
    'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIiwicm9sZSI6ImFkbWluIn0.',
    "' OR '1'='1",
    'x'.repeat(8192),
    'null',
    'undefined',
  ]
}

/** Bodies that are not what an operation takes; `fields` are the properties of its JSON schema. */
export function badBodies(fields: string[]): [category: string, contentType: string, body: BodyInit][] {
  const wrongType = (value: unknown) =>
    fields.map((f): [string, string, BodyInit] => [
      'wrong field types',
      'application/json',
      JSON.stringify({ [f]: value }),
    ])
  return [
    ['wrong content type', 'text/plain', '{"username":"a"}'],
    ['wrong content type', 'application/x-www-form-urlencoded', 'username=a&password=b'],
    ['wrong content type', 'multipart/form-data; boundary=x', '--x\r\n\r\nx\r\n--x--'],
    ['wrong content type', 'application/xml', '<a/>'],
    ['invalid JSON', 'application/json', '{"username":'],
    ['invalid JSON', 'application/json', "{'username': 'a'}"],
    ['invalid JSON', 'application/json', '{"a":1,}'],
    ['invalid JSON', 'application/json', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
    ['not an object', 'application/json', '[]'],
    ['not an object', 'application/json', 'null'],
    ['not an object', 'application/json', '"text"'],
    ['not an object', 'application/json', '42'],
    ['deeply nested JSON', 'application/json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    [
      'prototype pollution',
      'application/json',
      '{"__proto__":{"role":"admin"},"constructor":{"prototype":{"x":1}}}',
    ],
    ...wrongType({ $gt: '' }),
    ...wrongType(['a', 1]),
    ['oversized (Content-Length)', 'application/json', `{"name":"${'x'.repeat(2 * 1024 * 1024)}"}`],
  ]
}

/** 2.5 MiB streamed without a Content-Length, so a limit must hold while the body arrives. */
export function chunkedBody(): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (let i = 0; i < 40; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(64 * 1024)))
      controller.close()
    },
  })
}

export interface Tally {
  /** Records one attempt; fails the test unless `ok(status)` holds. */
  count(category: string, status: number, ok?: (status: number) => boolean): void
  summary(): string[]
  categories(): string[]
  total(): number
}

export const isClientError = (s: number) => s >= 400 && s < 500

export function createTally(expectFn: (value: unknown) => { toEqual(v: unknown): void }): Tally {
  const counts = new Map<string, { tried: number; byStatus: Map<number, number> }>()
  return {
    count(category, status, ok = isClientError) {
      const c = counts.get(category) ?? { tried: 0, byStatus: new Map() }
      c.tried++
      c.byStatus.set(status, (c.byStatus.get(status) ?? 0) + 1)
      counts.set(category, c)
      expectFn({ category, status, refused: ok(status) }).toEqual({ category, status, refused: true })
    },
    summary() {
      return [...counts].map(([name, c]) => {
        const statuses = [...c.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`)
        return `${name}: ${c.tried} tried, all as required (${statuses.join(', ')})`
      })
    },
    categories: () => [...counts.keys()],
    total: () => [...counts.values()].reduce((n, c) => n + c.tried, 0),
  }
}
