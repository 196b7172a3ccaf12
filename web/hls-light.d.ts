// hls.js ships types for its full build only; the light build has the same API minus features
// the player does not use (subtitles, DRM, alternate audio).
declare module 'hls.js/light' {
  export { default } from 'hls.js'
}
