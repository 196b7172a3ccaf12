export { checkConfig, checkDataDir, checkMusicDirs } from './check.ts'
export { type Config, type ConfigKey, fields } from './fields.ts'
export { CONFIG_FILE, describeConfig, type Loaded, loadConfig, type Source } from './load.ts'
