import { describe, expect, it } from 'bun:test'
import { parseLrc } from './now-playing.tsx'

describe('synced lyrics', () => {
  it('reads LRC time stamps, in time order, a line with two stamps at both', () => {
    const lines = parseLrc('[ar:Someone]\n[00:12.50]Second\n[00:01.00][01:02]Chorus\n\n[00:05]  First  ')
    expect(lines).toEqual([
      { at: 1, text: 'Chorus' },
      { at: 5, text: 'First' },
      { at: 12.5, text: 'Second' },
      { at: 62, text: 'Chorus' },
    ])
  })
})
