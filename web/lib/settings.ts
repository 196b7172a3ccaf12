import { effect } from '@preact/signals'
import { persisted } from './persist.ts'

export const QUALITIES = ['auto', '24', '96', '160', '320', 'original'] as const
export type Quality = (typeof QUALITIES)[number]
export type Theme = 'system' | 'light' | 'dark'

/** The server normalizes to −14 LUFS unless configured otherwise; a user target shifts from there. */
export const SERVER_TARGET_LUFS = -14

export function createSettings() {
  const s = {
    quality: persisted<Quality>('quality', 'auto'),
    normalize: persisted('normalize', true),
    targetLufs: persisted('targetLufs', SERVER_TARGET_LUFS),
    theme: persisted<Theme>('theme', 'system'),
    volume: persisted('volume', 1),
  }
  effect(() => {
    document.documentElement.dataset.theme = s.theme.value
  })
  return s
}
export type Settings = ReturnType<typeof createSettings>

/** The gain (linear) to apply for a track whose server gain to the server's target is `gainDb`. */
export function linearGain(settings: Settings, gainDb: number): number {
  if (!settings.normalize.value) return 1
  return 10 ** ((gainDb + settings.targetLufs.value - SERVER_TARGET_LUFS) / 20)
}
