// Progress for long CLI tasks: a redrawn bar on a terminal, plain lines when piped or logged.

export interface Progress {
  /** Current state; redraws the bar on a TTY, prints nothing otherwise. */
  update(done: number, total: number, detail: string): void
  /** A line that stays (a finished file, a failure), on a TTY printed above the bar. */
  line(text: string): void
  finish(): void
}

const WIDTH = 28

export function createProgress(out: NodeJS.WriteStream): Progress {
  const tty = out.isTTY === true
  let bar = ''
  const clear = () => {
    if (tty && bar) out.write('\r\x1b[2K')
  }
  return {
    update(done, total, detail) {
      if (!tty) return
      const ratio = total > 0 ? Math.min(1, done / total) : 0
      const filled = Math.round(ratio * WIDTH)
      const columns = out.columns ?? 100
      bar =
        `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${done}/${total} ${detail}`.slice(
          0,
          columns - 1,
        )
      out.write(`\r\x1b[2K${bar}`)
    },
    line(text) {
      clear()
      out.write(`${text}\n`)
      if (tty && bar) out.write(bar)
    },
    finish() {
      clear()
      bar = ''
    },
  }
}
