export { loadWebAssets, type WebAsset } from './assets.ts'
