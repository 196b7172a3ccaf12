import { describe, expect, it } from 'bun:test'
import { lyricLines } from './lyrics.ts'

describe('lyricLines', () => {
  it('reads LRC times, repeats a line for each of its timestamps and applies no offset of its own', () => {
    const lrc = '[ar:Someone]\n[offset:+250]\n[00:01.50]one\n[00:03.00][00:10.25]chorus\n[01:02.5]late'
    expect(lyricLines(lrc, true)).toEqual({
      offsetMs: 250,
      lines: [
        { startMs: 1500, text: 'one' },
        { startMs: 3000, text: 'chorus' },
        { startMs: 10250, text: 'chorus' },
        { startMs: 62500, text: 'late' },
      ],
    })
  })

  it('keeps unsynced lyrics line by line, blank lines included', () => {
    expect(lyricLines('first\r\n\r\nsecond', false).lines).toEqual([
      { text: 'first' },
      { text: '' },
      { text: 'second' },
    ])
  })
})
