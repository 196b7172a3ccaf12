import { escapeHtml } from './html.ts'

// Renders a JSON Schema (as the OpenAPI generator emits it) as a compact TypeScript-like type,
// which reads faster than nested tables: `{ name: string; scopes: ("read" | "write")[] }`.

export type JsonSchema = {
  $ref?: string
  type?: string | string[]
  enum?: unknown[]
  const?: unknown
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
  items?: JsonSchema
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean | JsonSchema
  description?: string
  pattern?: string
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  default?: unknown
}

const refName = (ref: string) => ref.split('/').pop() ?? ref

export function schemaText(schema: JsonSchema | undefined, indent = ''): string {
  if (!schema) return 'unknown'
  if (schema.$ref) {
    const name = escapeHtml(refName(schema.$ref))
    return `<a href="#schema-${name}">${name}</a>`
  }
  if (schema.const !== undefined) return escapeHtml(JSON.stringify(schema.const))
  if (schema.enum) return schema.enum.map((v) => escapeHtml(JSON.stringify(v))).join(' | ')
  const union = schema.anyOf ?? schema.oneOf
  if (union) return union.map((s) => schemaText(s, indent)).join(' | ')
  if (schema.allOf) return schema.allOf.map((s) => schemaText(s, indent)).join(' & ')
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []
  const rendered = types.map((t) => single(t, schema, indent))
  return rendered.length > 0 ? rendered.join(' | ') : 'unknown'
}

function single(type: string, schema: JsonSchema, indent: string): string {
  if (type === 'array') {
    const inner = schemaText(schema.items, indent)
    const union = inner.replace(/<[^>]+>/g, '').includes(' | ')
    return union ? `(${inner})[]` : `${inner}[]`
  }
  if (type === 'object') {
    const props = Object.entries(schema.properties ?? {})
    if (props.length === 0) {
      const extra = schema.additionalProperties
      return typeof extra === 'object' ? `{ [key: string]: ${schemaText(extra, indent)} }` : '{}'
    }
    const inner = `${indent}  `
    const lines = props.map(([key, value]) => {
      const optional = schema.required?.includes(key) ? '' : '?'
      const note = describe(value)
      return `${inner}${escapeHtml(key)}${optional}: ${schemaText(value, inner)}${note ? ` <span class="note">// ${note}</span>` : ''}`
    })
    return `{\n${lines.join('\n')}\n${indent}}`
  }
  return escapeHtml(type === 'integer' ? 'integer' : type)
}

/** Limits and descriptions worth a glance, as a trailing comment. */
function describe(s: JsonSchema): string {
  const parts: string[] = []
  if (s.description) parts.push(s.description)
  if (s.minLength !== undefined || s.maxLength !== undefined)
    parts.push(`length ${s.minLength ?? 0}–${s.maxLength ?? '∞'}`)
  if (s.minimum !== undefined || s.maximum !== undefined)
    parts.push(`${s.minimum ?? '−∞'}–${s.maximum ?? '∞'}`)
  if (s.pattern) parts.push(`pattern ${s.pattern}`)
  return escapeHtml(parts.join('; '))
}
