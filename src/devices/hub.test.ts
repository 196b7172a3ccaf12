import { describe, expect, it } from 'bun:test'
import { createHub, inAudience } from './hub.ts'
import type { LiveTopics, ScanProgress } from './topics.ts'

describe('live-update hub', () => {
  it('delivers each publication to the topic’s subscribers, in order, until they unsubscribe', () => {
    const hub = createHub<LiveTopics>()
    const seen: ScanProgress[] = []
    const stop = hub.subscribe('scan', (p) => void seen.push(p))
    hub.publish('scan', { status: 'running', done: 1, total: 3 })
    hub.publish('library', { added: 1, changed: 0, removed: 0 })
    hub.publish('scan', { status: 'done', done: 3, total: 3 })
    stop()
    hub.publish('scan', { status: 'running', done: 0, total: 1 })
    expect(seen.map((p) => p.status)).toEqual(['running', 'done'])
    expect(hub.listeners('scan')).toBe(0)
  })

  it('a subscriber that throws is reported and the others still hear the news', () => {
    const errors: unknown[] = []
    const hub = createHub<LiveTopics>((err) => errors.push(err))
    let heard = 0
    hub.subscribe('playlists', () => {
      throw new Error('broken subscriber')
    })
    hub.subscribe('playlists', () => void heard++)
    hub.publish('playlists', { playlistId: 4, change: 'updated' })
    expect(heard).toBe(1)
    expect(String(errors[0])).toContain('broken subscriber')
  })

  it('passes the audience along, and inAudience applies user and folder restrictions', () => {
    const hub = createHub<LiveTopics>()
    const got: unknown[] = []
    hub.subscribe('playlists', (_p, audience) => void got.push(audience))
    hub.publish('playlists', { playlistId: 1, change: 'created' }, { userIds: [2] })
    expect(got).toEqual([{ userIds: [2] }])
    expect(inAudience(undefined, 1, [])).toBe(true)
    expect(inAudience({ userIds: [2] }, 1, [1])).toBe(false)
    expect(inAudience({ userIds: [1, 2] }, 1, [1])).toBe(true)
    expect(inAudience({ folderIds: [3] }, 1, [1, 2])).toBe(false)
    expect(inAudience({ folderIds: [3, 2] }, 1, [1, 2])).toBe(true)
  })
})
