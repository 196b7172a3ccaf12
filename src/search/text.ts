// How names become search terms, the same way for what is indexed and what is typed: case,
// width and diacritics folded ("Beyoncé" → "beyonce"), dots and apostrophes inside a word dropped
// ("R.E.M." → "rem", "Don't" → "dont"), other punctuation splitting words, and text in scripts
// written without spaces (Han, kana, Hangul) cut into overlapping character pairs so a fragment
// of a longer run still finds it. MiniSearch's default tokenizer knows none of this.

// Scripts without word spaces: each run of them becomes its characters and their bigrams.
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc]/u
const JOINERS = /[.'’ʼ`´]/g
const SEPARATORS = /[^\p{L}\p{N}]+/gu
const MAX_TERM = 40

// Anything but printable ASCII (space to tilde).
const NOT_PLAIN = /[^ -~]/

export function fold(text: string): string {
  // Printable ASCII has nothing to decompose: most names skip the two passes (a tenth of tokenizing them).
  if (!NOT_PLAIN.test(text)) return text.toLowerCase()
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
}

/**
 * A run of an unspaced script. Indexed: every character (so one typed character finds it) and
 * every pair. Typed: its pairs, all of which must match, or the character alone when it is one —
 * never every single character, which would match nearly everything.
 */
function unspacedTerms(run: string, out: string[], typed: boolean): void {
  const chars = [...run]
  if (typed && chars.length === 1) out.push(run)
  for (let i = 0; i < chars.length; i++) {
    if (!typed) out.push(chars[i] as string)
    if (i + 1 < chars.length) out.push(`${chars[i]}${chars[i + 1]}`)
  }
}

/** Splits one word into its spaced-script parts and its unspaced-script runs. */
function wordTerms(word: string, out: string[], typed: boolean): void {
  if (!UNSPACED.test(word)) {
    out.push(word.length > MAX_TERM ? word.slice(0, MAX_TERM) : word)
    return
  }
  let run = ''
  let plain = ''
  for (const ch of word) {
    if (UNSPACED.test(ch)) {
      if (plain) out.push(plain)
      plain = ''
      run += ch
    } else {
      if (run) unspacedTerms(run, out, typed)
      run = ''
      plain += ch
    }
  }
  if (run) unspacedTerms(run, out, typed)
  if (plain) out.push(plain)
}

function terms(text: string, typed: boolean): string[] {
  const out: string[] = []
  for (const chunk of fold(text).replace(JOINERS, '').split(/\s+/)) {
    const words = chunk.split(SEPARATORS).filter(Boolean)
    for (const word of words) wordTerms(word, out, typed)
    // "AC/DC" and "Jay-Z" are also typed as one word: index the joined form too.
    if (!typed && words.length > 1 && !UNSPACED.test(chunk)) out.push(words.join('').slice(0, MAX_TERM))
  }
  // Names hold a handful of words: a scan beats building a Set for each of 100k names.
  return out.filter((t, i) => out.indexOf(t) === i)
}

/** The terms a field value is indexed under. */
export const indexTerms = (text: string) => terms(text, false)

/** The terms of typed text, in the order typed (the last one is the word being typed). */
export const queryTerms = (text: string) => terms(text, true)

export const isUnspaced = (term: string) => UNSPACED.test(term)
