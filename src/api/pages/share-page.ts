import { Hono } from 'hono'
import type { TrackSummary } from '../../catalog/index.ts'
import { DomainError } from '../../lib/errors.ts'
import type { PublicShare, Shares } from '../../shares/index.ts'
import type { AppEnv } from '../context.ts'
import { escapeHtml, page } from '../docs/html.ts'

// The public page of a share: server-rendered, no account, no script needed to play. Each track
// is an <audio preload="none"> whose source is the share's stream route, so nothing is issued or
// transcoded until a visitor presses play, and any browser plays the progressive file it is sent
// to. The small script only plays the next track when one ends and keeps one playing at a time.
const SCRIPT = `
const players = [...document.querySelectorAll('audio')]
players.forEach((p, i) => {
  p.addEventListener('play', () => players.forEach((o) => { if (o !== p) o.pause() }))
  p.addEventListener('ended', () => { const next = players[i + 1]; if (next) next.play() })
})`

const minutes = (seconds: number | null) => {
  if (seconds === null) return ''
  const s = Math.round(seconds)
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

function trackRow(shareId: string, t: TrackSummary): string {
  return `<li><div><strong>${escapeHtml(t.title)}</strong> <span class="muted">${escapeHtml(t.artist)} · ${escapeHtml(t.album)} · ${minutes(t.duration)}</span></div>
<audio controls preload="none" src="/api/shares/${shareId}/tracks/${t.id}"></audio></li>`
}

function render(share: PublicShare): string {
  const title = share.description || `Music shared by ${share.owner}`
  const items = share.items
    .map((item) => {
      const heading = item.kind === 'track' ? '' : `<h2>${escapeHtml(item.name)}</h2>`
      return `${heading}<ol class="tracks">${item.tracks.map((t) => trackRow(share.id, t)).join('')}</ol>`
    })
    .join('')
  const empty = share.items.length === 0 ? '<p class="muted">Nothing here can be played any more.</p>' : ''
  return `<h1>${escapeHtml(title)}</h1>
<p class="muted">Shared by ${escapeHtml(share.owner)} with Tonearm · this link works until <time datetime="${share.expiresAt}">${share.expiresAt.slice(0, 10)}</time></p>
${items}${empty}`
}

const message = (heading: string, text: string) => `<h1>${heading}</h1><p class="muted">${text}</p>`

export function sharePage(shares: Shares) {
  return new Hono<AppEnv>().get('/share/:id', (c) => {
    const nonce = c.get('secureHeadersNonce') ?? ''
    // The page counts visits and may change at any moment; keep it out of shared caches and search engines.
    c.header('cache-control', 'no-store')
    c.header('x-robots-tag', 'noindex')
    try {
      const view = shares.open(c.req.param('id'), { countVisit: true })
      if (view.state === 'expired') {
        const body = message('This link has expired', `It stopped working on ${view.expiredAt.slice(0, 10)}.`)
        return c.html(page({ title: 'Tonearm — link expired', nonce, body }), 410)
      }
      const body = render(view.share)
      return c.html(
        page({ title: `Tonearm — ${view.share.description || 'shared music'}`, nonce, body, script: SCRIPT }),
        200,
      )
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind !== 'not_found') throw err
      const body = message('No such link', 'This share does not exist, or it was deleted.')
      return c.html(page({ title: 'Tonearm — no such link', nonce, body }), 404)
    }
  })
}
