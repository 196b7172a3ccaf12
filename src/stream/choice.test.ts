import { describe, expect, it } from 'bun:test'
import { buildLadder } from '../audio/index.ts'
import { type Access, streamChoice } from './access.ts'

// Subsonic's stream parameters mapped onto the ladder: raw, codec, caps of the request and the user.

const files = buildLadder([24, 96, 160, 320], { native: false }).files
const user = (o: Partial<Access> = {}): Access => ({
  userId: 1,
  folderIds: [1],
  maxBitrate: 0,
  canDownload: true,
  ...o,
})
const id = (c: ReturnType<typeof streamChoice>) => (c.format === 'original' ? 'original' : c.profile.id)

describe('streamChoice', () => {
  it('gives the original when nothing is asked, or raw, to a user who may download without a cap', () => {
    expect(id(streamChoice(user(), files, {}))).toBe('original')
    expect(id(streamChoice(user(), files, { format: 'raw' }))).toBe('original')
  })

  it('transcodes to the best MP3 within the cap for users who may not download or are capped', () => {
    expect(id(streamChoice(user({ canDownload: false }), files, {}))).toBe('mp3-320')
    expect(id(streamChoice(user({ maxBitrate: 160 }), files, { format: 'raw' }))).toBe('mp3-160')
  })

  it('takes the stricter of the request’s and the user’s caps, and the codec asked for', () => {
    expect(id(streamChoice(user(), files, { maxBitRate: 128 }))).toBe('mp3-96')
    expect(id(streamChoice(user({ maxBitrate: 96 }), files, { format: 'ogg', maxBitRate: 320 }))).toBe(
      'vorbis-96',
    )
    expect(id(streamChoice(user(), files, { format: 'aac', maxBitRate: 160 }))).toBe('aac-160')
  })

  it('still plays the lowest rung under a tiny cap, and MP3 for codecs the ladder lacks', () => {
    expect(id(streamChoice(user(), files, { maxBitRate: 8 }))).toBe('mp3-24')
    expect(id(streamChoice(user(), files, { format: 'flac-ish', maxBitRate: 320 }))).toBe('mp3-320')
  })
})
