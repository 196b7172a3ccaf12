import type { RouteTable } from './context.ts'
import type { Node } from './encode.ts'
import { unsupported } from './errors.ts'

// What Tonearm does not do (yet): the spec's generic error with a message saying so. Lists that
// would be empty anyway (podcasts, radio stations) answer empty, so apps that load them at start
// keep working.

const refuse = (endpoint: string, why: string) => ({
  handler: (): Node => {
    throw unsupported(endpoint, why)
  },
})

const NO_JUKEBOX = 'it plays on your devices, not on the server'
const NO_CHAT = 'there is no chat'
const NO_PODCASTS = 'there are no podcasts yet'
const NO_RADIO = 'there is no internet radio yet'

export const unsupportedRoutes: RouteTable = {
  jukeboxControl: refuse('jukeboxControl', NO_JUKEBOX),
  getChatMessages: refuse('getChatMessages', NO_CHAT),
  addChatMessage: refuse('addChatMessage', NO_CHAT),
  getPodcasts: { handler: () => ({ podcasts: {} }) },
  getNewestPodcasts: { handler: () => ({ newestPodcasts: {} }) },
  getPodcastEpisode: refuse('getPodcastEpisode', NO_PODCASTS),
  refreshPodcasts: refuse('refreshPodcasts', NO_PODCASTS),
  createPodcastChannel: refuse('createPodcastChannel', NO_PODCASTS),
  deletePodcastChannel: refuse('deletePodcastChannel', NO_PODCASTS),
  deletePodcastEpisode: refuse('deletePodcastEpisode', NO_PODCASTS),
  downloadPodcastEpisode: refuse('downloadPodcastEpisode', NO_PODCASTS),
  getInternetRadioStations: { handler: () => ({ internetRadioStations: {} }) },
  createInternetRadioStation: refuse('createInternetRadioStation', NO_RADIO),
  updateInternetRadioStation: refuse('updateInternetRadioStation', NO_RADIO),
  deleteInternetRadioStation: refuse('deleteInternetRadioStation', NO_RADIO),
}
