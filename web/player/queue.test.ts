import { describe, expect, it } from 'bun:test'
import type { Track } from '../lib/types.ts'
import * as Q from './queue.ts'

const track = (id: number): Track => ({
  id,
  title: `t${id}`,
  artist: 'a',
  album: 'b',
  albumId: 1,
  albumArtist: 'a',
  trackNo: id,
  discNo: 1,
  duration: 60,
  coverId: null,
})
const five = [1, 2, 3, 4, 5].map(track)
const ids = (q: Q.Queue) => Q.upcoming(q).map((e) => e.track.id)
// A fixed "random" source: always picks the first remaining candidate, so orders are predictable.
const first = () => 0

describe('the play queue', () => {
  it('starts where asked and steps through in album order', () => {
    const q = Q.setTracks(Q.emptyQueue(), five, 2)
    expect(Q.current(q)?.id).toBe(3)
    expect(Q.nextIndex(q, false)).toBe(3)
    expect(Q.previousIndex(q)).toBe(1)
  })

  it('stops at the end unless repeating; repeat-one replays only when the track ended by itself', () => {
    const end = Q.setTracks(Q.emptyQueue(), five, 4)
    expect(Q.nextIndex(end, true)).toBeNull()
    expect(Q.nextIndex({ ...end, repeat: 'all' }, true)).toBe(0)
    expect(Q.nextIndex({ ...end, repeat: 'one' }, true)).toBe(4)
    // A press of "next" moves on even under repeat-one, wrapping as the device channel's rules do.
    expect(Q.nextIndex({ ...end, repeat: 'one' }, false)).toBe(0)
    expect(Q.previousIndex({ ...Q.setTracks(Q.emptyQueue(), five, 0), repeat: 'one' })).toBe(4)
    expect(Q.cycleRepeat('off')).toBe('all')
    expect(Q.cycleRepeat('all')).toBe('one')
    expect(Q.cycleRepeat('one')).toBe('off')
  })

  it('shuffles around the current track and restores album order when shuffle goes off', () => {
    const q = Q.setTracks(Q.emptyQueue(), five, 2)
    const on = Q.setShuffle(q, true, first)
    expect(Q.current(on)?.id).toBe(3)
    expect(on.at).toBe(0)
    expect(new Set(ids(on))).toEqual(new Set([1, 2, 3, 4, 5]))
    expect(ids(on)).not.toEqual([1, 2, 3, 4, 5])
    const off = Q.setShuffle(on, false)
    expect(ids(off)).toEqual([1, 2, 3, 4, 5])
    expect(Q.current(off)?.id).toBe(3)
  })

  it('a shuffled new queue starts with the chosen track', () => {
    const q = Q.setTracks({ ...Q.emptyQueue(), shuffle: true }, five, 3, first)
    expect(Q.current(q)?.id).toBe(4)
    expect(ids(q)).toHaveLength(5)
  })

  it('adds at the end, or right after the current track', () => {
    const q = Q.setTracks(Q.emptyQueue(), five.slice(0, 3), 0)
    expect(ids(Q.addTracks(q, [track(9)]))).toEqual([1, 2, 3, 9])
    expect(ids(Q.addTracks(q, [track(9)], true))).toEqual([1, 9, 2, 3])
  })

  it('moves entries by drag or buttons and keeps the current track current', () => {
    const q = Q.setTracks(Q.emptyQueue(), five, 1)
    const moved = Q.move(q, 4, 0)
    expect(ids(moved)).toEqual([5, 1, 2, 3, 4])
    expect(Q.current(moved)?.id).toBe(2)
    const playing = Q.move(q, 1, 3)
    expect(ids(playing)).toEqual([1, 3, 4, 2, 5])
    expect(Q.current(playing)?.id).toBe(2)
    expect(Q.move(q, 0, 9)).toBe(q)
  })

  it('removes any entry but the current one', () => {
    const q = Q.setTracks(Q.emptyQueue(), five, 2)
    const r = Q.remove(q, 0)
    expect(ids(r)).toEqual([2, 3, 4, 5])
    expect(Q.current(r)?.id).toBe(3)
    expect(Q.remove(q, 2)).toBe(q)
  })
})
