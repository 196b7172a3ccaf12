// Calendar arithmetic for statistics. Days and hours are UTC buckets counted from the Unix epoch,
// so a bucket never depends on the server's time zone or a daylight-saving change.

export const HOUR_MS = 3_600_000
export const DAY_MS = 86_400_000

export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS)
export const hourOf = (ms: number): number => Math.floor(ms / HOUR_MS)
export const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10)
