import type { Signal } from '@preact/signals'
import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { Offline } from '../player/offline.ts'
import type { Player } from '../player/player.ts'
import type { Reporter } from '../player/report.ts'
import type { Settings } from './settings.ts'
import type { Stars } from './stars.ts'
import type { User } from './types.ts'

/** What every view may use, made once in main.tsx and handed down (no module globals). */
export interface AppServices {
  player: Player
  reporter: Reporter
  settings: Settings
  offline: Offline
  stars: Stars
  user: Signal<User | null>
  /** True when the server cannot be reached and the app runs from its caches. */
  offlineMode: Signal<boolean>
}

export const Services = createContext<AppServices | null>(null)
export function useServices(): AppServices {
  const s = useContext(Services)
  if (!s) throw new Error('useServices outside <Services.Provider>')
  return s
}
