// The start page shows what the server is doing (engine start-up, demo library, later scans) by
// polling /api/health, which needs no sign-in. The player replaces this page when it lands.

interface Component {
  status: string
  [key: string]: unknown
}
interface Health {
  status: string
  version: string
  runtime: string
  uptimeSeconds: number
  components: Record<string, Component>
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T

function describe(name: string, c: Component): string {
  const details = Object.entries(c)
    .filter(([k, v]) => k !== 'status' && k !== 'done' && k !== 'total' && typeof v !== 'object')
    .map(([k, v]) => `${k}: ${String(v)}`)
  return `${name} — ${c.status}${details.length ? ` (${details.join(', ')})` : ''}`
}

function render(h: Health): void {
  const overall = $('overall')
  overall.textContent = h.status
  overall.dataset.state = h.status
  $('version').textContent = `version ${h.version} · ${h.runtime} · up ${h.uptimeSeconds} s`
  const list = $<HTMLUListElement>('components')
  list.replaceChildren(
    ...Object.entries(h.components).map(([name, c]) => {
      const li = document.createElement('li')
      li.dataset.state = c.status
      li.textContent = describe(name, c)
      if (typeof c.done === 'number' && typeof c.total === 'number' && c.total > 0) {
        const bar = document.createElement('progress')
        bar.max = c.total
        bar.value = c.done
        bar.setAttribute('aria-label', `${name} progress`)
        li.append(' ', bar)
      }
      return li
    }),
  )
}

async function poll(): Promise<void> {
  try {
    const res = await fetch('/api/health', { cache: 'no-store' })
    const h = (await res.json()) as Health
    render(h)
    const busy = Object.values(h.components).some((c) => c.status === 'starting' || c.status === 'working')
    setTimeout(poll, busy ? 500 : 5000)
  } catch {
    $('overall').textContent = 'unreachable'
    $('overall').dataset.state = 'failed'
    setTimeout(poll, 2000)
  }
}

void poll()
