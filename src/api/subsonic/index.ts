// The Subsonic and OpenSubsonic API under /rest: one route table (routes.ts), handlers by chapter
// of the spec, one encoder for XML, JSON and JSONP (encode.ts). README.md explains the choices.
export type { SubsonicDeps } from './context.ts'
export { subsonicRoutes } from './router.ts'
