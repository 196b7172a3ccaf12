import type { Call, RouteTable } from './context.ts'
import type { Node } from './encode.ts'

// The library scanner: its state now, and starting a scan (admins; a full one with fullScan=true).

function status({ deps }: Call): Node {
  const s = deps.catalog.scanner.status()
  const scanning = s.state !== 'idle'
  const last = s.lastScan
  return {
    scanStatus: {
      scanning,
      count: scanning ? (s.progress?.done ?? 0) : deps.catalog.counts().tracks,
      folderCount: deps.listFolders().length,
      lastScan: last ? new Date(last.finishedAt).toISOString() : undefined,
    },
  }
}

function startScan(call: Call): Node {
  const full = call.params.bool('fullScan') ?? false
  // The scan runs in the background; its progress is what getScanStatus reports.
  void call.deps.catalog.scanner.scan({ full, trigger: 'subsonic' }).catch((err) => {
    call.c.get('log')?.error({ err }, 'scan started over the Subsonic API failed')
  })
  return status(call)
}

export const scanningRoutes: RouteTable = {
  getScanStatus: { handler: status },
  startScan: { handler: startScan, admin: true, write: true },
}
