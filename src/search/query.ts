import { invalid } from '../lib/errors.ts'
import { queryTerms } from './text.ts'

// What a typed query asks for: free words, and the power-user filters `artist:`, `album:`,
// `genre:` (a word or a "quoted phrase") and `year:1992` / `year:1990-1999`. Anything
// unbalanced or odd is read as plain words, never refused: a search box must not answer "syntax
// error". Only a year that cannot be a year is refused, because a script asked for it exactly.

export const TEXT_FILTERS = ['artist', 'album', 'genre'] as const
export type TextFilter = (typeof TEXT_FILTERS)[number]

export interface ParsedQuery {
  /** Free terms, in the order typed; the last one may be a word still being typed. */
  terms: string[]
  /** Terms each filter field must contain. */
  filters: Partial<Record<TextFilter, string[]>>
  years?: { from: number; to: number }
  /** A blank query: every item, in name order (how Subsonic clients page through a library). */
  everything: boolean
  /** Text that holds no searchable word (only punctuation): it matches nothing. */
  nothing: boolean
}

/** Longer queries are cut: nobody types more, and each term costs a lookup. */
export const MAX_QUERY_CHARS = 256
const MAX_TERMS = 12

const FILTER = /(?:^|\s)(artist|album|genre|year):(?:"([^"]*)"|(\S*))/giu

function parseYears(value: string): { from: number; to: number } {
  const m = /^(\d{4})(?:-(\d{4}))?$/.exec(value)
  const from = Number(m?.[1])
  const to = m?.[2] === undefined ? from : Number(m[2])
  if (!m || from < 1000 || to > 2999 || from > to)
    throw invalid(`q: year: must be a year or a range like 1990-1999, not "${value.slice(0, 20)}"`, {
      field: 'q',
    })
  return { from, to }
}

export function parseQuery(q: string): ParsedQuery {
  const text = q.length > MAX_QUERY_CHARS ? q.slice(0, MAX_QUERY_CHARS) : q
  const filters: ParsedQuery['filters'] = {}
  let years: ParsedQuery['years']
  const rest = text.replace(FILTER, (_all, name: string, quoted?: string, bare?: string) => {
    const value = quoted ?? bare ?? ''
    const field = name.toLowerCase()
    if (field === 'year') {
      if (value !== '') years = parseYears(value)
    } else {
      const terms = queryTerms(value).slice(0, MAX_TERMS)
      const key = field as TextFilter
      if (terms.length > 0) filters[key] = [...(filters[key] ?? []), ...terms]
    }
    return ' '
  })
  const terms = queryTerms(rest).slice(0, MAX_TERMS)
  const asksNothing = terms.length === 0 && Object.keys(filters).length === 0 && years === undefined
  const everything = asksNothing && text.trim() === ''
  return { terms, filters, ...(years ? { years } : {}), everything, nothing: asksNothing && !everything }
}
