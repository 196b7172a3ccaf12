import { randomUUID } from 'node:crypto'
import { type Events, parseBatch } from '../../events/index.ts'
import type { Call, RouteTable } from './context.ts'
import { CODES, missing, SubsonicError } from './errors.ts'
import { idOf } from './ids.ts'
import { invalidParam } from './params.ts'

// Listening reports land in the event log with source 'subsonic', so plays counted from a phone
// app and from the web player are one history, one set of statistics, one scrobble queue.

/** Validated as POST /api/events validates (every bad field named), recorded with source 'subsonic'. */
function ingest(events: Events, userId: number, batch: unknown[]) {
  const { events: checked } = parseBatch({ source: 'api', events: batch })
  return events.ingest(userId, checked, 'subsonic')
}

function requireEvents(call: Call): Events {
  if (!call.deps.events)
    throw new SubsonicError(CODES.generic, 'listening events are not available on this server')
  return call.deps.events
}

/** The device an event came from: the app's name (`c`), so "now playing" can say which app. */
const deviceOf = (call: Call) => `subsonic:${(call.params.get('c') || 'unknown').slice(0, 100)}`

function scrobble(call: Call) {
  const { params, principal } = call
  const events = requireEvents(call)
  const ids = params.all('id')
  if (ids.length === 0) throw missing('id')
  const times = params.all('time')
  const submission = params.bool('submission') ?? true
  const now = Date.now()
  const batch = ids.map((raw, i) => {
    const trackId = idOf(raw, 'song')
    const t = times[i]
    const time = t === undefined || t === '' ? now : Number(t)
    if (!Number.isSafeInteger(time)) throw invalidParam('time', 'must be milliseconds since the Unix epoch')
    return {
      type: 'scrobble' as const,
      // The same report sent again (an app retrying) is the same event, so it is counted once.
      eventId: `ss-${principal.userId}-${trackId}-${time}-${submission ? 1 : 0}`,
      deviceId: deviceOf(call),
      clientTime: Math.min(time, now),
      trackId: String(trackId),
      submission,
      time,
    }
  })
  ingest(events, principal.userId, batch)
  return {}
}

const STATES = ['starting', 'playing', 'paused', 'stopped'] as const
/** A "playing" report this close to where the playhead should be is a heartbeat, not news. */
const DRIFT_MS = 3000

/**
 * Apps send "playing" every few seconds while they play. Logged each time, an hour of listening
 * would be hundreds of events that say nothing; only a resume, another track or a position that
 * moved (a seek the app did not report) is written.
 */
function alreadyThere(events: Events, userId: number, deviceId: string, trackId: string, positionMs: number) {
  const p = events.stats.nowPlaying().find((x) => x.userId === userId && x.deviceId === deviceId)
  return p?.trackId === trackId && p.state === 'playing' && Math.abs(p.positionMs - positionMs) < DRIFT_MS
}

/**
 * OpenSubsonic's playback report: `starting` begins a listen (now playing), `stopped` ends it with
 * the position reached as the time heard; `paused` and `playing` (sent on resuming and every few
 * seconds while playing) put the playhead where the app says, so now playing shows a paused app
 * as paused and follows its position. With ignoreScrobble, a stop records no time heard, so no
 * play is counted.
 */
function reportPlayback(call: Call) {
  const { params, principal } = call
  const events = requireEvents(call)
  const trackId = idOf(params.required('mediaId'), 'song', 'mediaId')
  const mediaType = params.required('mediaType')
  if (mediaType !== 'song')
    throw invalidParam('mediaType', 'only song is supported (Tonearm has no podcasts)')
  const positionMs = params.requiredInt('positionMs', { min: 0, max: 86_400_000 })
  const state = params.required('state') as (typeof STATES)[number]
  if (!STATES.includes(state)) throw invalidParam('state', `must be one of ${STATES.join(', ')}`)
  const ignore = params.bool('ignoreScrobble') ?? false
  const common = {
    eventId: `rp-${randomUUID()}`,
    deviceId: deviceOf(call),
    clientTime: Date.now(),
    trackId: String(trackId),
  }
  if (state === 'starting') ingest(events, principal.userId, [{ ...common, type: 'play_started' }])
  if (state === 'paused') ingest(events, principal.userId, [{ ...common, type: 'pause', positionMs }])
  if (
    state === 'playing' &&
    !alreadyThere(events, principal.userId, common.deviceId, common.trackId, positionMs)
  )
    ingest(events, principal.userId, [{ ...common, type: 'resume', positionMs }])
  if (state === 'stopped')
    ingest(events, principal.userId, [{ ...common, type: 'play_ended', heardMs: ignore ? 0 : positionMs }])
  return {}
}

export const annotationRoutes: RouteTable = {
  scrobble: { handler: scrobble, write: true },
  reportPlayback: { handler: reportPlayback, write: true },
}
