import pkg from '../package.json' with { type: 'json' }

// Read from package.json at build time so the binary, the Node bundle and `bun src/main.ts` agree.
export const VERSION: string = pkg.version
export const NAME = 'tonearm'
