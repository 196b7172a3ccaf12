// The one place that asks which runtime we are on; everything Bun-only sits behind this flag.
export const isBun: boolean = typeof process.versions.bun === 'string'
export const runtimeName: string = isBun ? `bun ${process.versions.bun}` : `node ${process.versions.node}`
