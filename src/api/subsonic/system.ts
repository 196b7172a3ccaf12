import type { RouteTable } from './context.ts'

// System: ping, license, the OpenSubsonic extensions this server implements, API key info.

/** Each extension here is implemented in full at the version given (README lists them). */
export const EXTENSIONS: { name: string; versions: number[] }[] = [
  { name: 'apiKeyAuthentication', versions: [1] },
  { name: 'formPost', versions: [1] },
  { name: 'songLyrics', versions: [1] },
  { name: 'transcodeOffset', versions: [1] },
  { name: 'indexBasedQueue', versions: [1] },
  { name: 'playbackReport', versions: [1] },
]

export const systemRoutes: RouteTable = {
  ping: { handler: () => ({}) },
  getLicense: { handler: () => ({ license: { valid: true } }) },
  getOpenSubsonicExtensions: { public: () => ({ openSubsonicExtensions: EXTENSIONS }) },
  tokenInfo: { handler: ({ principal }) => ({ tokenInfo: { username: principal.username } }) },
}
