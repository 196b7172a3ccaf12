import type { CoverMotif, DemoAlbum } from './types.ts'

export const COVER_SIZE = 500

type Rgb = [number, number, number]

function hex(color: string): Rgb {
  const value = Number.parseInt(color.slice(1), 16)
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255]
}

function mix(a: Rgb, b: Rgb, amount: number): Rgb {
  const t = Math.max(0, Math.min(1, amount))
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
}

/** Soft edge so shapes don't look jagged at 500 px. */
function edge(distance: number, width = 0.004): number {
  return Math.max(0, Math.min(1, 0.5 - distance / width))
}

type Painter = (x: number, y: number, colors: [Rgb, Rgb, Rgb]) => Rgb

const PAINTERS: Record<CoverMotif, Painter> = {
  // Retro sunset: gradient sky, a sun sliced by horizontal bars.
  sunset(x, y, [night, glow, sun]) {
    const sky = mix(night, glow, y * 1.1)
    const r = Math.hypot(x - 0.5, y - 0.62)
    const sliced = y > 0.62 && Math.floor((y - 0.62) * 40) % 3 === 0
    return mix(sky, mix(sun, glow, (y - 0.35) * 1.5), sliced ? 0 : edge(r - 0.26))
  },
  // Layered sea: sine bands growing lighter towards the shore.
  waves(x, y, [deep, sea, foam]) {
    let color = mix(deep, sea, y)
    for (let band = 0; band < 6; band++) {
      const crest = 0.3 + band * 0.11 + 0.03 * Math.sin(x * Math.PI * (3 + band) + band * 1.7)
      color = mix(color, mix(sea, foam, band / 6), edge(crest - y) * 0.55)
    }
    return color
  },
  // Synthwave floor: a perspective grid under a glowing horizon.
  grid(x, y, [dark, line, glow]) {
    const horizon = 0.55
    if (y < horizon) return mix(dark, glow, Math.max(0, 1 - (horizon - y) * 6) * 0.8)
    const depth = (y - horizon) / (1 - horizon)
    const gx = Math.abs(((x - 0.5) / (depth + 0.05)) % 0.25)
    const gy = Math.abs(((1 / (depth + 0.05)) % 1) - 0.5)
    const onLine = Math.max(edge(Math.min(gx, 0.25 - gx) - 0.004, 0.01), edge(0.5 - gy - 0.04, 0.05) * depth)
    return mix(mix(dark, glow, (1 - depth) * 0.25), line, onLine)
  },
  // A record seen from above: grooves, label, spindle hole.
  rings(x, y, [vinyl, label, paper]) {
    const r = Math.hypot(x - 0.5, y - 0.5)
    if (r > 0.46) return mix(paper, vinyl, edge(0.46 - r) * 0.1)
    if (r < 0.015) return paper
    if (r < 0.16) return label
    const groove = 0.5 + 0.5 * Math.sin(r * 420)
    const sheen = 0.12 * Math.max(0, Math.cos(Math.atan2(y - 0.5, x - 0.5) * 2))
    return mix(vinyl, paper, groove * 0.08 + sheen)
  },
}

/** Raw rgb24 pixels of the album's cover; ffmpeg's rawvideo demuxer turns them into a JPEG. */
export function renderCoverRgb(album: DemoAlbum): Uint8Array {
  const colors = album.cover.colors.map(hex) as [Rgb, Rgb, Rgb]
  const paint = PAINTERS[album.cover.motif]
  const pixels = new Uint8Array(COVER_SIZE * COVER_SIZE * 3)
  for (let py = 0; py < COVER_SIZE; py++) {
    for (let px = 0; px < COVER_SIZE; px++) {
      const [r, g, b] = paint((px + 0.5) / COVER_SIZE, (py + 0.5) / COVER_SIZE, colors)
      const at = (py * COVER_SIZE + px) * 3
      pixels[at] = r
      pixels[at + 1] = g
      pixels[at + 2] = b
    }
  }
  return pixels
}

export function coverJpegArgs(input: string, output: string): string[] {
  return [
    ...[
      '-f',
      'rawvideo',
      '-pixel_format',
      'rgb24',
      '-video_size',
      `${COVER_SIZE}x${COVER_SIZE}`,
      '-i',
      input,
    ],
    ...['-frames:v', '1', '-c:v', 'mjpeg', '-q:v', '3', '-pix_fmt', 'yuvj420p', '-f', 'mjpeg', output],
  ]
}
