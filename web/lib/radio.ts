// Radio: a station from a track, an album or an artist, made by the server's recommender.
import type { Player } from '../player/player.ts'
import { api } from './api.ts'
import type { Track } from './types.ts'

export type RadioSeed = { trackId: number } | { albumId: number } | { artistId: number }

export async function startRadio(player: Player, seed: RadioSeed): Promise<void> {
  const [key, id] = Object.entries(seed)[0] as [string, number]
  const { items } = await api<{ items: Track[] }>(`/api/radio?${key}=${id}&limit=50`)
  if (items.length > 0) await player.playTracks(items, 0)
}
