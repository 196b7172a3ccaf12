import type { Context } from 'hono'
import type { SubsonicError } from './errors.ts'

// One response model, two encodings. Handlers return plain objects; the rules below turn them into
// the XML the Subsonic schema describes and the JSON OpenSubsonic clients read:
// - a scalar is an XML attribute (the key `value` is the element's text instead),
// - an object is a child element, an array is one element per item (scalars as text elements),
// - null and undefined are left out.
// The XML writer is hand-rolled: those rules are the whole of it (a few lines), whereas a general
// XML builder would need the same walk to translate our model into its own conventions first.

export type Scalar = string | number | boolean
export type Value = Scalar | null | undefined | Node | Value[]
export interface Node {
  [key: string]: Value
}

export const PROTOCOL_VERSION = '1.16.1'
export const SERVER_TYPE = 'tonearm'
const NAMESPACE = 'http://subsonic.org/restapi'

export type Format = { kind: 'xml' } | { kind: 'json' } | { kind: 'jsonp'; callback: string }

const CALLBACK = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/

/** `f` as sent; a JSONP callback that is not a plain JS name would let a page inject script. */
export function formatOf(f: string | undefined, callback: string | undefined): Format {
  if (f === 'json') return { kind: 'json' }
  if (f === 'jsonp' && callback && callback.length <= 100 && CALLBACK.test(callback))
    return { kind: 'jsonp', callback }
  if (f === 'jsonp') return { kind: 'json' }
  return { kind: 'xml' }
}

function envelope(serverVersion: string, status: 'ok' | 'failed'): Node {
  return { status, version: PROTOCOL_VERSION, type: SERVER_TYPE, serverVersion, openSubsonic: true }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\n': '&#xA;',
  '\r': '&#xD;',
  '\t': '&#x9;',
}
// In attributes line breaks and tabs are escaped too: a parser would otherwise turn them into spaces.
const escapeAttribute = (s: string) => s.replace(/[&<>"\n\r\t]/g, (ch) => ENTITIES[ch] as string)
const escapeText = (s: string) => s.replace(/[&<>]/g, (ch) => ENTITIES[ch] as string)
// XML 1.0 cannot carry most control characters at all, even escaped: they are dropped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
const text = (v: Scalar) => escapeText(clean(String(v)))
const attribute = (v: Scalar) => escapeAttribute(clean(String(v)))

function element(name: string, node: Node | Scalar): string {
  if (typeof node !== 'object') return `<${name}>${text(node)}</${name}>`
  let attrs = ''
  let body = ''
  for (const [key, v] of Object.entries(node)) {
    if (v === null || v === undefined) continue
    if (Array.isArray(v)) {
      for (const item of v)
        if (item !== null && item !== undefined) body += element(key, item as Node | Scalar)
    } else if (typeof v === 'object') body += element(key, v)
    else if (key === 'value') body += text(v)
    else attrs += ` ${key}="${attribute(v)}"`
  }
  return `<${name}${attrs}>${body}</${name}>`
}

function stripNulls(v: Value): Value {
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map(stripNulls)
  if (v && typeof v === 'object') {
    const out: Node = {}
    for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = stripNulls(x)
    return out
  }
  return v
}

/** The whole response body in the asked format, with its content type. */
export function encode(
  format: Format,
  serverVersion: string,
  body: Node,
  status: 'ok' | 'failed' = 'ok',
): { text: string; contentType: string } {
  const root = { ...envelope(serverVersion, status), ...body }
  if (format.kind === 'xml') {
    const xml = element('subsonic-response', { xmlns: NAMESPACE, ...root })
    return { text: `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`, contentType: 'text/xml; charset=utf-8' }
  }
  const json = JSON.stringify({ 'subsonic-response': stripNulls(root) })
  if (format.kind === 'json') return { text: json, contentType: 'application/json; charset=utf-8' }
  return { text: `${format.callback}(${json});`, contentType: 'application/javascript; charset=utf-8' }
}

export function errorBody(err: SubsonicError): Node {
  return { error: { code: err.code, message: err.message, helpUrl: err.helpUrl } }
}

/** Subsonic answers API errors with HTTP 200 (clients read the envelope, not the status). */
export function respond(
  c: Context,
  format: Format,
  serverVersion: string,
  body: Node,
  status: 'ok' | 'failed' = 'ok',
  httpStatus: 200 | 404 = 200,
): Response {
  const { text: out, contentType } = encode(format, serverVersion, body, status)
  return c.body(out, httpStatus, { 'content-type': contentType, 'cache-control': 'no-store' })
}
