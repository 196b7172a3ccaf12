export { listMusicFolders, type MusicFolder, syncMusicFolders } from './folders.ts'
