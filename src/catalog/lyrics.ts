// Lyrics are stored as plain text, or as LRC when synced (the scanner writes embedded synced
// lyrics in that form too). APIs that send lines with times read them back through this.

export interface LyricLine {
  /** Milliseconds from the start; absent for unsynced lyrics. */
  startMs?: number
  text: string
}

const TIME = /\[(\d{1,3}):(\d{1,2}(?:[.:]\d{1,3})?)\]/g
const OFFSET = /^\[offset:\s*([+-]?\d+)\]\s*$/i
const TAG = /^\[[a-z]+:.*\]\s*$/i

/** LRC lines with their times (a line with several timestamps repeats), sorted; `[offset:]` applied. */
export function lyricLines(text: string, synced: boolean): { offsetMs: number; lines: LyricLine[] } {
  const raw = text.replace(/\r\n?/g, '\n').split('\n')
  if (!synced) return { offsetMs: 0, lines: raw.map((line) => ({ text: line })) }
  let offsetMs = 0
  const lines: LyricLine[] = []
  for (const line of raw) {
    const offset = OFFSET.exec(line)
    if (offset) {
      offsetMs = Number(offset[1])
      continue
    }
    const times = [...line.matchAll(TIME)]
    if (times.length === 0) {
      if (!TAG.test(line) && line.trim() !== '') lines.push({ text: line.trim() })
      continue
    }
    const body = line.replace(TIME, '').trim()
    for (const t of times) {
      const seconds = Number((t[2] as string).replace(':', '.'))
      lines.push({ startMs: Math.round(Number(t[1]) * 60_000 + seconds * 1000), text: body })
    }
  }
  lines.sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0))
  return { offsetMs, lines }
}
