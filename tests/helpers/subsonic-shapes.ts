import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { ROOT } from './server.ts'

// Checks for Subsonic responses that do not depend on our own encoder: fast-xml-parser reads the
// XML, and Navidrome's response snapshots (the shapes popular clients were tested against) say
// which field names each element may carry.

const SNAPSHOTS = join(ROOT, '..', 'shared', 'reference', 'navidrome-subsonic-snapshots')

// biome-ignore lint/suspicious/noExplicitAny: responses are arbitrary JSON
type Json = any

/** The XML as "path=value" lines, the same flattening jsonFacts makes of the JSON. */
export function xmlFacts(xml: string): string[] {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    textNodeName: 'value',
    parseAttributeValue: false,
    parseTagValue: false,
    ignoreDeclaration: true,
    trimValues: false,
  })
  const doc = parser.parse(xml, true)
  const root = doc['subsonic-response']
  delete root.xmlns
  return flatten(root, '').sort()
}

export function jsonFacts(json: Json): string[] {
  return flatten(json['subsonic-response'], '').sort()
}

function flatten(v: Json, path: string): string[] {
  if (Array.isArray(v)) return v.flatMap((x) => flatten(x, path))
  if (v !== null && typeof v === 'object') {
    const inner = Object.entries(v).flatMap(([k, x]) => flatten(x, path ? `${path}.${k}` : k))
    // An element with neither attributes nor children is '' in XML and {} (or only []) in JSON.
    return inner.length > 0 ? inner : [`${path}=`]
  }
  return [`${path}=${String(v)}`]
}

/** Elements that hold a Child, whatever the list calls them. */
const CHILD_ALIASES: Record<string, string> = { song: 'child', entry: 'child' }

function fieldsByElement(json: Json, parent: string, out: Map<string, Set<string>>) {
  if (Array.isArray(json)) {
    for (const x of json) fieldsByElement(x, parent, out)
    return
  }
  if (json === null || typeof json !== 'object') return
  const element = CHILD_ALIASES[parent] ?? parent
  const set = out.get(element) ?? new Set<string>()
  out.set(element, set)
  for (const [k, v] of Object.entries(json)) {
    set.add(k)
    fieldsByElement(v, k, out)
  }
}

let known: Map<string, Set<string>> | undefined

/** Field names per element across every JSON snapshot. */
export function snapshotFields(): Map<string, Set<string>> {
  if (known) return known
  known = new Map()
  for (const name of readdirSync(SNAPSHOTS).filter((n) => n.endsWith('.JSON'))) {
    const body = JSON.parse(readFileSync(join(SNAPSHOTS, name), 'utf8'))
    for (const [k, v] of Object.entries(body)) fieldsByElement(v, k, known)
  }
  return known
}

/** Every (element, field) a response uses that no snapshot has and `extra` does not allow. */
export function unknownFields(json: Json, extra: Record<string, string[]>): string[] {
  const ours = new Map<string, Set<string>>()
  const body = { ...json['subsonic-response'] }
  for (const k of ['status', 'version', 'type', 'serverVersion', 'openSubsonic']) delete body[k]
  for (const [k, v] of Object.entries(body)) fieldsByElement(v, k, ours)
  const snap = snapshotFields()
  const out: string[] = []
  for (const [element, fields] of ours) {
    for (const f of fields) {
      if (snap.get(element)?.has(f) || extra[element]?.includes(f)) continue
      out.push(`${element}.${f}`)
    }
  }
  return out
}
