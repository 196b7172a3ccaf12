// Play order over a queue. Without shuffle the order is the queue itself; with shuffle it is a
// permutation of queue indices that starts at the track playing when shuffle was turned on, so
// turning shuffle on never interrupts the current track and every track plays once per round.

export type Random = () => number

/** A shuffled order of `length` indices with `first` at its head (Fisher–Yates on the rest). */
export function shuffledOrder(length: number, first: number, random: Random): number[] {
  const rest: number[] = []
  for (let i = 0; i < length; i++) if (i !== first) rest.push(i)
  for (let i = rest.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[rest[i], rest[j]] = [rest[j] as number, rest[i] as number]
  }
  return first >= 0 && first < length ? [first, ...rest] : rest
}

/** The queue index after `index` in play order, or -1 at the end. */
export function nextIndex(order: readonly number[] | null, length: number, index: number): number {
  if (!order) return index + 1 < length ? index + 1 : -1
  const at = order.indexOf(index)
  return at >= 0 && at + 1 < order.length ? (order[at + 1] as number) : -1
}

/** The queue index before `index` in play order, or -1 at the start. */
export function previousIndex(order: readonly number[] | null, index: number): number {
  if (!order) return index - 1
  const at = order.indexOf(index)
  return at > 0 ? (order[at - 1] as number) : -1
}

/** The first and last queue index in play order. */
export function ends(order: readonly number[] | null, length: number): { first: number; last: number } {
  if (length === 0) return { first: -1, last: -1 }
  if (!order) return { first: 0, last: length - 1 }
  return { first: order[0] as number, last: order[order.length - 1] as number }
}

/**
 * Updates a shuffle order after `count` tracks were inserted into the queue at `at`. Indices at
 * or after `at` move up. With `playNext` the new tracks follow the current one in order; otherwise
 * each lands at a random place among the tracks still to come, as if it had been there all along.
 */
export function orderAfterInsert(
  order: readonly number[],
  at: number,
  count: number,
  current: number,
  playNext: boolean,
  random: Random,
): number[] {
  const shifted = order.map((i) => (i >= at ? i + count : i))
  const currentAt = current >= 0 ? shifted.indexOf(current >= at ? current + count : current) : -1
  const added = Array.from({ length: count }, (_, k) => at + k)
  if (playNext) {
    shifted.splice(currentAt + 1, 0, ...added)
    return shifted
  }
  for (const index of added) {
    const lo = currentAt + 1
    const slot = lo + Math.floor(random() * (shifted.length - lo + 1))
    shifted.splice(slot, 0, index)
  }
  return shifted
}
