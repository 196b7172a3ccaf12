// The one schema of the catalog, one file per domain. Change it, then `npm run db:generate`
// writes the migration and refreshes the embedded copy the server applies at start.

export * from './accounts.ts'
export * from './audio.ts'
export * from './catalog.ts'
export * from './devices.ts'
export * from './events.ts'
export * from './folders.ts'
export * from './library.ts'
export * from './listening.ts'
export * from './meta.ts'
export * from './playlists.ts'
export * from './recommend.ts'
export * from './scrobble.ts'
export * from './shares.ts'
